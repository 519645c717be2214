/* Calls the functions of c-names.mlir through the headers qopt-compile wrote
 * for them, by their C names, and prints each result. */
#include "0start.h"
#include "int.h"
#include "main.h"
#include "my-func.h"

#include <stdio.h>

static void print(const char *name, const int8_t *values) {
  printf("%s: %d %d %d %d\n", name, values[0], values[1], values[2], values[3]);
}

int main(void) {
  const int8_t x[4] = {10, 20, -30, 40};
  int8_t y[4];
  my_func(x, y);
  print("my_func", y);
  f0start(x, y);
  print("f0start", y);
  int_(x, y);
  print("int_", y);
  main_(x, y);
  print("main_", y);
  return 0;
}
