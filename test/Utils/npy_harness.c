/*===- npy_harness.c - Run one compiled function on .npy files ------------===*
 *
 * Part of the qopt project.
 *
 *===----------------------------------------------------------------------===*
 *
 * Usage: harness IN_0.npy .. IN_{n-1}.npy LIKE_0.npy .. LIKE_{m-1}.npy
 *                OUT_0.npy .. OUT_{m-1}.npy
 *
 * Built with -DFUNC=name -DNUM_INPUTS=n -DNUM_OUTPUTS=m around an object of
 * qopt-compile: calls FUNC (docs/aot.md: one pointer per input, then one per
 * output) on the data of the input files, and writes each output with the
 * header of LIKE_i (the interpreter's result for it, which gives its dtype
 * and shape), so that npy.py compare can check it bit for bit. Version 1.0
 * to 3.0 .npy files, C order, as qopt-run writes them.
 *
 *===----------------------------------------------------------------------===*/

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if !defined(FUNC) || !defined(NUM_INPUTS) || !defined(NUM_OUTPUTS)
#error "build with -DFUNC=name -DNUM_INPUTS=n -DNUM_OUTPUTS=m"
#endif

/* Every parameter is a pointer: declared without a prototype, FUNC is
 * called with NUM_INPUTS + NUM_OUTPUTS of them. */
void FUNC();

struct Npy {
  unsigned char *bytes;
  size_t size, dataOffset;
};

static int readNpy(const char *path, struct Npy *npy) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    return 1;
  }
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  fseek(f, 0, SEEK_SET);
  npy->bytes = malloc(size > 0 ? (size_t)size : 1);
  npy->size = (size_t)size;
  if (size < 12 || fread(npy->bytes, 1, npy->size, f) != npy->size ||
      memcmp(npy->bytes, "\x93NUMPY", 6) != 0) {
    fprintf(stderr, "%s: not a .npy file\n", path);
    fclose(f);
    return 1;
  }
  fclose(f);
  const unsigned char *b = npy->bytes;
  npy->dataOffset = b[6] == 1 ? 10 + (size_t)(b[8] | b[9] << 8)
                              : 12 + (size_t)(b[8] | b[9] << 8 |
                                              b[10] << 16 |
                                              (uint32_t)b[11] << 24);
  return npy->dataOffset > npy->size;
}

int main(int argc, char **argv) {
  enum { kArgs = NUM_INPUTS + NUM_OUTPUTS };
  if (argc != 1 + NUM_INPUTS + 2 * NUM_OUTPUTS) {
    fprintf(stderr, "usage: %s %d inputs, %d templates, %d outputs\n",
            argv[0], NUM_INPUTS, NUM_OUTPUTS, NUM_OUTPUTS);
    return 2;
  }
  struct Npy files[kArgs];
  void *args[kArgs];
  for (int i = 0; i < kArgs; ++i) {
    if (readNpy(argv[1 + i], &files[i]))
      return 1;
    /* 16-byte aligned copies: more than any element type needs. */
    size_t size = files[i].size - files[i].dataOffset;
    args[i] = aligned_alloc(16, (size + 15) / 16 * 16 + 16);
    memcpy(args[i], files[i].bytes + files[i].dataOffset, size);
    if (i >= NUM_INPUTS)
      memset(args[i], 0xA5, size); /* every element must be written */
  }
  void **a = args;
  switch ((int)kArgs) {
  case 2: FUNC(a[0], a[1]); break;
  case 3: FUNC(a[0], a[1], a[2]); break;
  case 4: FUNC(a[0], a[1], a[2], a[3]); break;
  case 5: FUNC(a[0], a[1], a[2], a[3], a[4]); break;
  case 6: FUNC(a[0], a[1], a[2], a[3], a[4], a[5]); break;
  default:
    fprintf(stderr, "%d parameters: extend the harness\n", kArgs);
    return 2;
  }
  for (int i = NUM_INPUTS; i < kArgs; ++i) {
    const char *path = argv[1 + NUM_OUTPUTS + i];
    FILE *f = fopen(path, "wb");
    size_t size = files[i].size - files[i].dataOffset;
    if (!f || fwrite(files[i].bytes, 1, files[i].dataOffset, f) !=
                  files[i].dataOffset ||
        fwrite(args[i], 1, size, f) != size || fclose(f) != 0) {
      perror(path);
      return 1;
    }
  }
  return 0;
}
