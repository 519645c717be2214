/*===- runtime.c - An application of compiled models' runtime -------------===*\
|*                                                                            *|
|* Part of the qopt project.                                                  *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/
/*
 * What an application of objects compiled with --parallel links: the
 * installed QOpt::QOptRuntime alone (test/Install/install-consumer.test).
 * Runs one call on three threads and prints which threads ran.
 */

#include "qopt/Runtime/ParallelRuntime.h"

#include <stdio.h>

static void body(void *ctx, int32_t thread, int32_t threads) {
  ((int *)ctx)[thread] = threads;
}

int main(void) {
  int ran[3] = {0, 0, 0};
  qopt_set_num_threads(3);
  qopt_parallel_run(body, ran);
  printf("threads: %d %d %d\n", ran[0], ran[1], ran[2]);
  return 0;
}
