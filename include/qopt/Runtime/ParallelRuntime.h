/*===- ParallelRuntime.h - qopt's thread pool for parallel layers -*- C -*-===*\
|*                                                                            *|
|* Part of the qopt project.                                                  *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/
/*
 * The runtime that code compiled with parallel=true (qopt-compile --parallel,
 * qopt-run --jit --parallel) calls to run a layer's tiles on several threads,
 * unless it was compiled for the OpenMP runtime (parallel-runtime=openmp).
 * Applications link lib/libQOptRuntime.a (CMake: QOpt::QOptRuntime) or
 * compile lib/Runtime/ParallelRuntime.c with their own sources; it needs
 * POSIX threads only.
 *
 * A persistent pool: the thread that calls qopt_parallel_run runs thread 0's
 * share and the pool's workers the others. Between calls a worker spins for
 * a while, then sleeps until the next call (see ParallelRuntime.c).
 */

#ifndef QOPT_RUNTIME_PARALLELRUNTIME_H
#define QOPT_RUNTIME_PARALLELRUNTIME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The most threads a call runs on; larger requests are clamped to it. */
#define QOPT_MAX_THREADS 64

/* The copy that qopt_parallel_run_sized gives the other threads of a
 * context of at most QOPT_CONTEXT_COPY_BYTES bytes is aligned to
 * QOPT_CONTEXT_COPY_ALIGNMENT bytes (it shares the cache lines of the
 * call's other fields; the 1x1 kernels' contexts are 96 bytes): code
 * compiled with parallel=true passes size 0 (no copy) with a context that
 * needs more alignment. */
#define QOPT_CONTEXT_COPY_BYTES 96
#define QOPT_CONTEXT_COPY_ALIGNMENT 16

/* What a parallel call runs on each of its `threads` threads, `thread` being
 * 0 to threads - 1: its share of the work that `ctx` describes. */
typedef void (*qopt_parallel_body)(void *ctx, int32_t thread,
                                   int32_t threads);

/* Runs body(ctx, t, n) for t = 0 .. n - 1 on n threads, the calling one
 * included, and returns when all have returned; n is
 * qopt_get_num_threads(). A call made while another is running (from
 * another application thread, or from a body) runs body(ctx, 0, 1) on the
 * calling thread instead. */
void qopt_parallel_run(qopt_parallel_body body, void *ctx);

/* The same for a body that only reads the `size` bytes at `ctx` and not
 * their address: the other threads' `ctx` may then be a copy of them, which
 * they read with the call itself (what code compiled with parallel=true
 * calls), where `size` is at most QOPT_CONTEXT_COPY_BYTES. */
void qopt_parallel_run_sized(qopt_parallel_body body, void *ctx,
                             size_t size);

/* Sets the number of threads of the next calls; `threads` < 1 restores the
 * default: QOPT_NUM_THREADS, else OMP_NUM_THREADS, from the environment,
 * else the number of CPUs the process may run on. */
void qopt_set_num_threads(int32_t threads);

/* The number of threads of the next call. */
int32_t qopt_get_num_threads(void);

#ifdef __cplusplus
}
#endif

#endif /* QOPT_RUNTIME_PARALLELRUNTIME_H */
