/* gpu_worker.c - the thread that runs a step's background ops, kept for
 * the backend's life (gpu_internal.h: gpu_worker).
 *
 * A step hands the worker one job and waits for it, as it would join a
 * thread of its own; keeping the thread spares each step a thread start
 * and the driver's first calls on a new thread, which a serving engine's
 * background thread does not pay either. The worker makes the backend's
 * context current itself (the job's first call).
 * Main entry points: gpu_worker_call(), gpu_worker_stop().
 */
#include "gpu_internal.h"

static void *worker_main(void *arg) {
  gpu_worker *w = arg;
  pthread_mutex_lock(&w->mu);
  for (;;) {
    while (!w->job && !w->quit)
      pthread_cond_wait(&w->cv, &w->mu);
    if (w->quit && !w->job) break;
    void *(*fn)(void *) = w->job;
    void *job_arg = w->arg;
    pthread_mutex_unlock(&w->mu);
    fn(job_arg);
    pthread_mutex_lock(&w->mu);
    w->job = NULL;
    pthread_cond_broadcast(&w->cv);
  }
  pthread_mutex_unlock(&w->mu);
  return NULL;
}

int gpu_worker_call(gpu_worker *w, void *(*fn)(void *), void *arg) {
  if (!w->started) {
    if (pthread_mutex_init(&w->mu, NULL) != 0) return -1;
    if (pthread_cond_init(&w->cv, NULL) != 0) {
      pthread_mutex_destroy(&w->mu);
      return -1;
    }
    w->job = NULL;
    w->quit = 0;
    if (pthread_create(&w->th, NULL, worker_main, w) != 0) {
      pthread_cond_destroy(&w->cv);
      pthread_mutex_destroy(&w->mu);
      return -1;
    }
    w->started = 1;
  }
  pthread_mutex_lock(&w->mu);
  w->job = fn;
  w->arg = arg;
  pthread_cond_broadcast(&w->cv);
  while (w->job)
    pthread_cond_wait(&w->cv, &w->mu);
  pthread_mutex_unlock(&w->mu);
  return 0;
}

void gpu_worker_stop(gpu_worker *w) {
  if (!w->started) return;
  pthread_mutex_lock(&w->mu);
  w->quit = 1;
  pthread_cond_broadcast(&w->cv);
  pthread_mutex_unlock(&w->mu);
  pthread_join(w->th, NULL);
  pthread_cond_destroy(&w->cv);
  pthread_mutex_destroy(&w->mu);
  w->started = 0;
}
