/*===- main.c - An application of the compiled tiny CNN -------------------===*
 *
 * Part of the qopt project.
 *
 *===----------------------------------------------------------------------===*
 *
 * Usage: tiny_cnn INPUT.npy OUTPUT.npy
 *
 * Links the object qopt-compile makes of model.mlir, without MLIR:
 *
 *   qopt-compile model.mlir -o tiny_cnn.o --header tiny_cnn.h
 *   clang-22 -I. main.c tiny_cnn.o -lm -L/usr/lib/llvm-22/lib \
 *     -Wl,-rpath,/usr/lib/llvm-22/lib -lmlir_c_runner_utils -o tiny_cnn
 *
 * reads a float32 image of shape (1, 16, 16, 3) from a .npy file, runs the
 * network on it, and writes the four float32 logits as a .npy file of shape
 * (1, 4). The input must be little-endian float32 in C order, as numpy.save
 * and qopt-run --save-inputs write it.
 *
 *===----------------------------------------------------------------------===*/

#include "tiny_cnn.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

enum { kInputElements = 1 * 16 * 16 * 3, kOutputElements = 1 * 4 };

/* Reads the data of a version 1.0 .npy file of kInputElements float32. */
static int readInput(const char *path, float *data) {
  FILE *file = fopen(path, "rb");
  if (!file)
    return 0;
  unsigned char preamble[10];
  int ok = fread(preamble, 1, sizeof(preamble), file) == sizeof(preamble) &&
           memcmp(preamble, "\x93NUMPY\x01", 7) == 0;
  if (ok) {
    char header[65536];
    size_t length = preamble[8] | (size_t)preamble[9] << 8;
    ok = fread(header, 1, length, file) == length &&
         strstr(header, "'descr': '<f4'") &&
         fread(data, sizeof(float), kInputElements, file) == kInputElements &&
         fgetc(file) == EOF;
  }
  fclose(file);
  return ok;
}

/* Writes the logits as a version 1.0 .npy file, padded as numpy pads. */
static int writeOutput(const char *path, const float *data) {
  char header[128];
  int length = snprintf(header, sizeof(header), "%-117s\n",
                        "{'descr': '<f4', 'fortran_order': False, "
                        "'shape': (1, 4), }");
  FILE *file = fopen(path, "wb");
  if (!file)
    return 0;
  unsigned char preamble[10] = {
      0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (unsigned char)length, 0};
  int ok =
      fwrite(preamble, 1, sizeof(preamble), file) == sizeof(preamble) &&
      fwrite(header, 1, length, file) == (size_t)length &&
      fwrite(data, sizeof(float), kOutputElements, file) == kOutputElements;
  return fclose(file) == 0 && ok;
}

int main(int argc, char **argv) {
  static float input[kInputElements];
  float output[kOutputElements];
  if (argc != 3) {
    fprintf(stderr, "usage: %s INPUT.npy OUTPUT.npy\n", argv[0]);
    return 2;
  }
  if (!readInput(argv[1], input)) {
    fprintf(stderr, "%s: not a .npy file of %d float32\n", argv[1],
            kInputElements);
    return 1;
  }
  tiny_cnn(input, output);
  if (!writeOutput(argv[2], output)) {
    fprintf(stderr, "%s: cannot write\n", argv[2]);
    return 1;
  }
  return 0;
}
