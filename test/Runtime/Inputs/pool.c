/*===- pool.c - Exercises qopt's thread pool ------------------------------===*\
|*                                                                            *|
|* Part of the qopt project.                                                  *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/
/*
 * pool MODE: `threads` prints qopt_get_num_threads() (what the environment
 * gives); `calls` runs many calls on 1 to 3 threads, nested calls, calls
 * from three application threads at once and calls after the workers went
 * to sleep, checking that each call ran each of its threads exactly once;
 * `sized` runs calls of qopt_parallel_run_sized whose contexts fit the
 * runtime's copy or not, checking that every thread read the context's
 * bytes as the caller wrote them.
 */

#define _POSIX_C_SOURCE 200809L

#include "qopt/Runtime/ParallelRuntime.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* One call's record: which threads ran, and the thread count they got. */
struct call {
  atomic_int ran[QOPT_MAX_THREADS];
  atomic_int threads;
  atomic_int nested; /* threads of a call made from inside the body */
  int nest;
};

static void body(void *ctx, int32_t thread, int32_t threads) {
  struct call *call = ctx;
  atomic_fetch_add(&call->ran[thread], 1);
  atomic_store(&call->threads, threads);
  if (call->nest && thread == threads - 1) {
    struct call inner;
    memset(&inner, 0, sizeof(inner));
    qopt_parallel_run(body, &inner);
    atomic_store(&call->nested, atomic_load(&inner.threads));
  }
}

/* Runs one call; 0 if it ran threads 0 .. `want` - 1 once each. */
static int check_call(int want, int nest) {
  struct call call;
  memset(&call, 0, sizeof(call));
  call.nest = nest;
  qopt_parallel_run(body, &call);
  if (want && atomic_load(&call.threads) != want)
    return 1;
  int threads = atomic_load(&call.threads);
  for (int t = 0; t < QOPT_MAX_THREADS; ++t)
    if (atomic_load(&call.ran[t]) != (t < threads))
      return 1;
  return nest && atomic_load(&call.nested) != 1;
}

/* A sized call's context: the record its threads write, and `count` bytes
 * they read. */
struct sized {
  struct call *call;
  size_t count;
  unsigned char bytes[192];
};

static void sized_body(void *ctx, int32_t thread, int32_t threads) {
  const struct sized *sized = ctx;
  int bad = 0;
  for (size_t i = 0; i < sized->count; ++i)
    bad |= sized->bytes[i] != (unsigned char)(i * 7 + sized->count);
  atomic_fetch_add(&sized->call->ran[thread], 1 + bad * QOPT_MAX_THREADS);
  atomic_store(&sized->call->threads, threads);
}

/* Runs one sized call of `count` bytes of context, passing `size` as its
 * size; 0 if threads 0 .. `want` - 1 ran once each and read the bytes. */
static int check_sized(int want, size_t count, size_t size) {
  struct call call;
  memset(&call, 0, sizeof(call));
  struct sized sized = {&call, count, {0}};
  for (size_t i = 0; i < count; ++i)
    sized.bytes[i] = (unsigned char)(i * 7 + count);
  qopt_parallel_run_sized(sized_body, &sized, size);
  if (atomic_load(&call.threads) != want)
    return 1;
  for (int t = 0; t < QOPT_MAX_THREADS; ++t)
    if (atomic_load(&call.ran[t]) != (t < want))
      return 1;
  return 0;
}

static atomic_int concurrentFailures;

static void *caller(void *arg) {
  (void)arg;
  for (int i = 0; i < 5000; ++i)
    atomic_fetch_add(&concurrentFailures, check_call(0, 0));
  return NULL;
}

int main(int argc, char **argv) {
  if (argc == 2 && strcmp(argv[1], "threads") == 0) {
    printf("threads: %d\n", (int)qopt_get_num_threads());
    return 0;
  }
  if (argc == 2 && strcmp(argv[1], "sized") == 0) {
    /* Contexts of 16 bytes to the size of the runtime's copy, one byte
     * beyond it, more, and passed with size 0 (not copied). */
    const size_t copied =
        QOPT_CONTEXT_COPY_BYTES - offsetof(struct sized, bytes);
    const size_t counts[] = {0, copied / 2, copied, copied + 1, 192};
    for (int threads = 1; threads <= 3; ++threads) {
      qopt_set_num_threads(threads);
      int failures = 0;
      for (int i = 0; i < 5; ++i)
        for (int j = 0; j < 1000; ++j) {
          size_t size = offsetof(struct sized, bytes) + counts[i];
          failures += check_sized(threads, counts[i], j % 2 ? size : 0);
        }
      printf("sized, %d thread(s): %d failures\n", threads, failures);
    }
    return 0;
  }
  if (argc != 2 || strcmp(argv[1], "calls") != 0)
    return 2;
  /* Growing and shrinking the pool. */
  for (int threads = 1; threads <= 3; ++threads) {
    qopt_set_num_threads(threads);
    int failures = 0;
    for (int i = 0; i < 5000; ++i)
      failures += check_call(threads, 0);
    printf("%d thread(s): %d failures\n", threads, failures);
  }
  qopt_set_num_threads(2);
  int failures = 0;
  for (int i = 0; i < 5000; ++i)
    failures += check_call(2, 0);
  printf("back to 2 threads: %d failures\n", failures);
  /* A call from a body runs on its caller's thread. */
  qopt_set_num_threads(3);
  failures = 0;
  for (int i = 0; i < 1000; ++i)
    failures += check_call(3, 1);
  printf("nested: %d failures\n", failures);
  /* Application threads calling at once: each call runs whole, on the pool
   * or serially. */
  pthread_t callers[3];
  for (int i = 0; i < 3; ++i)
    pthread_create(&callers[i], NULL, caller, NULL);
  for (int i = 0; i < 3; ++i)
    pthread_join(callers[i], NULL);
  printf("concurrent: %d failures\n", atomic_load(&concurrentFailures));
  /* After the workers' spin (1 ms) they sleep; a call wakes them. */
  failures = 0;
  struct timespec idle = {0, 5000000};
  for (int i = 0; i < 20; ++i) {
    nanosleep(&idle, NULL);
    failures += check_call(3, 0);
  }
  printf("after sleeping: %d failures\n", failures);
  /* Out of range: clamped, or the default again. */
  qopt_set_num_threads(1000);
  printf("set 1000: %d\n", (int)qopt_get_num_threads());
  qopt_set_num_threads(-1);
  printf("set -1: %d\n", (int)qopt_get_num_threads());
  return 0;
}
