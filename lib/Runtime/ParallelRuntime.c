/*===- ParallelRuntime.c - qopt's thread pool for parallel layers ---------===*\
|*                                                                            *|
|* Part of the qopt project.                                                  *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/
/*
 * A fork and join here is one cache line's round trip each way: the caller
 * publishes the call and bumps a generation counter, every worker spinning
 * on that counter runs its share and decrements a count of pending workers
 * on another cache line, on which the caller spins. On the Zen 5 host (two
 * vCPUs) an empty call takes ~0.65 us, against ~1.45 us for libomp's empty
 * `#pragma omp parallel` of two threads (KMP_BLOCKTIME and the barrier
 * patterns do not help it): the difference bounds the two-thread speedup of
 * layers that take a few microseconds.
 *
 * A worker spins for kSpinNanoseconds after a call, then sleeps on a
 * condition variable, so that an idle program does not burn its cores. The
 * caller of the next call then pays a wake-up (a futex system call, and the
 * scheduler's latency in the worker) only when a sleeper exists, which a
 * counter of sleepers tells it without a system call.
 *
 * A worker would then read the call's context, which the caller wrote just
 * before, on the caller's stack: a second line's round trip before it
 * starts its share (~0.1-0.2 us here, ~2-4% of a 10 us layer).
 * qopt_parallel_run_sized copies a small context next to the generation
 * counter instead, in the counter's line and the next one, which the
 * workers prefetch while they spin. The caller's stack is no place for
 * such a prefetch: the caller writes it all the time, and each of its
 * writes would then wait for the worker's copy to be invalidated
 * (prefetching the last call's context from the stack made MobileNetV2's
 * 1x1 layers 5-12% slower on two threads).
 *
 * Written in C11 with POSIX threads so that any toolchain that links the
 * generated objects (the AArch64 cross gcc of the tests has no C++ library)
 * can compile it.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* sched_getaffinity */
#endif

#include "qopt/Runtime/ParallelRuntime.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* How long a worker spins for the next call before it sleeps. A sleeping
 * worker costs the next call a wake-up, 75-130 us on the Zen 5 host (the
 * futex, and the scheduler waking the idle vCPU): 1 ms is longer than the
 * gaps between the parallel layers of one inference, whose sequential
 * layers take microseconds to tens of microseconds, and bounds the
 * wake-up to ~10% of the idle time before it; a program that stops
 * calling burns at most a millisecond of each worker's core. */
static const int64_t kSpinNanoseconds = 1000000;

enum { kCacheLine = 64 };

static void pause_cpu(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ volatile("yield");
#endif
}

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* After this long in a spin loop, each spin also yields the core: with more
 * runnable threads than cores (other processes, or more threads than CPUs),
 * the thread spun on may be waiting for this one's core, and a waiter that
 * only pauses holds it until the scheduler preempts it, milliseconds per
 * call. Longer than a layer's share of the work on one thread usually is,
 * so that a loaded machine's calls do not pay a system call each. */
static const int64_t kYieldAfterNanoseconds = 50000;

/* A spin loop's state: when it started and how often it spun. */
struct spin {
  int64_t start;
  unsigned count;
};

/* One wait of a spin loop; returns the nanoseconds spun so far, measured
 * every 256 spins (a clock read costs tens of nanoseconds), else 0. */
static int64_t spin_once(struct spin *spin) {
  pause_cpu();
  if (++spin->count % 256 != 0)
    return 0;
  int64_t spun = now_ns() - spin->start;
  if (spun > kYieldAfterNanoseconds)
    sched_yield();
  return spun;
}

/* The pool. The call's fields are written by the caller before it bumps
 * `generation` and read by the workers after they see the bump; the caller
 * writes the next call's only once every worker has decremented `pending`,
 * after its last read of them. */
static struct pool {
  /* The call, and the counter the workers spin on. */
  _Alignas(kCacheLine) atomic_uint generation;
  int32_t threads;
  qopt_parallel_body body;
  void *ctx;
  /* The copy of a small context (qopt_parallel_run_sized), from the first
   * aligned byte after the fields above (byte 32 with 64-bit pointers)
   * through the next line at most (asserted below). */
  _Alignas(QOPT_CONTEXT_COPY_ALIGNMENT) unsigned char
      context[QOPT_CONTEXT_COPY_BYTES];
  /* Workers that have not finished the current call; the caller spins on
   * it. */
  _Alignas(kCacheLine) atomic_int pending;
  /* Set while a call runs: another caller runs serially. */
  _Alignas(kCacheLine) atomic_flag busy;
  /* The thread count of the next calls; 0 until chosen. */
  atomic_int requested;
  /* Workers asleep (or about to be) on `wake`. */
  atomic_int sleepers;
  pthread_mutex_t lock;
  pthread_cond_t wake;
  /* Workers started, index 1 .. workers; only callers holding `busy` start
   * more. */
  int32_t workers;
  /* The generation before the call that starts worker i: its first call is
   * the next. */
  unsigned start_generation[QOPT_MAX_THREADS];
} pool = {.busy = ATOMIC_FLAG_INIT,
          .lock = PTHREAD_MUTEX_INITIALIZER,
          .wake = PTHREAD_COND_INITIALIZER};

/* The workers prefetch the copy's last byte while they spin: it must lie in
 * the counter's line or the next. */
_Static_assert(offsetof(struct pool, context) + QOPT_CONTEXT_COPY_BYTES <=
                   2 * kCacheLine,
               "the context copy ends past the line after the counter's");

/* The generation after `seen`, once the caller publishes it. */
static unsigned await_call(unsigned seen) {
  struct spin spin = {now_ns(), 0};
  for (;;) {
    unsigned generation =
        atomic_load_explicit(&pool.generation, memory_order_acquire);
    if (generation != seen)
      return generation;
    __builtin_prefetch(&pool.context[sizeof(pool.context) - 1]);
    if (spin_once(&spin) > kSpinNanoseconds)
      break;
  }
  /* Counted as a sleeper before the last look at the generation: a caller
   * that bumps it then either is seen here or sees the sleeper (both
   * sequentially consistent) and signals under the lock, which this thread
   * holds until it waits. */
  pthread_mutex_lock(&pool.lock);
  atomic_fetch_add(&pool.sleepers, 1);
  unsigned generation;
  while ((generation = atomic_load(&pool.generation)) == seen)
    pthread_cond_wait(&pool.wake, &pool.lock);
  atomic_fetch_sub(&pool.sleepers, 1);
  pthread_mutex_unlock(&pool.lock);
  return generation;
}

static void *run_worker(void *arg) {
  int32_t thread = (int32_t)(intptr_t)arg;
  unsigned seen = pool.start_generation[thread];
  for (;;) {
    seen = await_call(seen);
    /* Workers beyond the call's thread count (after the count was lowered)
     * only acknowledge it. */
    if (thread < pool.threads)
      pool.body(pool.ctx, thread, pool.threads);
    atomic_fetch_sub_explicit(&pool.pending, 1, memory_order_release);
  }
  return NULL;
}

static int32_t clamp_threads(long threads) {
  return threads > QOPT_MAX_THREADS ? QOPT_MAX_THREADS : (int32_t)threads;
}

/* QOPT_NUM_THREADS, else OMP_NUM_THREADS (which code compiled for the
 * OpenMP runtime obeys, and scripts already set), else the CPUs this
 * process may run on; values that are not positive numbers are ignored. */
static int32_t default_threads(void) {
  const char *names[] = {"QOPT_NUM_THREADS", "OMP_NUM_THREADS"};
  for (int i = 0; i < 2; ++i) {
    const char *value = getenv(names[i]);
    if (!value)
      continue;
    char *end;
    long threads = strtol(value, &end, 10);
    if (end != value && threads >= 1)
      return clamp_threads(threads);
  }
#ifdef __linux__
  cpu_set_t cpus;
  if (sched_getaffinity(0, sizeof(cpus), &cpus) == 0)
    return clamp_threads(CPU_COUNT(&cpus));
#endif
  long online = sysconf(_SC_NPROCESSORS_ONLN);
  return online >= 1 ? clamp_threads(online) : 1;
}

void qopt_set_num_threads(int32_t threads) {
  atomic_store(&pool.requested,
               threads >= 1 ? clamp_threads(threads) : default_threads());
}

int32_t qopt_get_num_threads(void) {
  int32_t threads = atomic_load(&pool.requested);
  if (threads == 0) {
    /* Racing first calls compute the same default. */
    threads = default_threads();
    atomic_store(&pool.requested, threads);
  }
  return threads;
}

/* Starts workers until `threads` - 1 run (fewer if the system refuses
 * threads); returns the threads a call then has. The caller holds `busy`. */
static int32_t start_workers(int32_t threads) {
  while (pool.workers < threads - 1) {
    pthread_t worker;
    pool.start_generation[pool.workers + 1] =
        atomic_load_explicit(&pool.generation, memory_order_relaxed);
    if (pthread_create(&worker, NULL, run_worker,
                       (void *)(intptr_t)(pool.workers + 1)) != 0)
      break;
    pthread_detach(worker);
    ++pool.workers;
  }
  return threads < pool.workers + 1 ? threads : pool.workers + 1;
}

/* qopt_parallel_run, the workers' context a copy of its `size` bytes where
 * the call's lines hold them. */
static void run(qopt_parallel_body body, void *ctx, size_t size) {
  int32_t threads = qopt_get_num_threads();
  if (threads == 1 || atomic_flag_test_and_set(&pool.busy)) {
    body(ctx, 0, 1);
    return;
  }
  threads = start_workers(threads);
  if (threads == 1) {
    atomic_flag_clear(&pool.busy);
    body(ctx, 0, 1);
    return;
  }
  pool.body = body;
  pool.ctx = ctx;
  if (size > 0 && size <= sizeof(pool.context)) {
    memcpy(pool.context, ctx, size);
    pool.ctx = pool.context;
  }
  pool.threads = threads;
  atomic_store_explicit(&pool.pending, pool.workers, memory_order_relaxed);
  atomic_fetch_add(&pool.generation, 1);
  if (atomic_load(&pool.sleepers) > 0) {
    pthread_mutex_lock(&pool.lock);
    pthread_cond_broadcast(&pool.wake);
    pthread_mutex_unlock(&pool.lock);
  }
  body(ctx, 0, threads);
  struct spin spin = {now_ns(), 0};
  while (atomic_load_explicit(&pool.pending, memory_order_acquire) != 0)
    spin_once(&spin);
  atomic_flag_clear(&pool.busy);
}

void qopt_parallel_run(qopt_parallel_body body, void *ctx) {
  run(body, ctx, 0);
}

void qopt_parallel_run_sized(qopt_parallel_body body, void *ctx,
                             size_t size) {
  run(body, ctx, size);
}
