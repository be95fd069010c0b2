/*
 * SCRAM's Hi() (RFC 5802 §2.2): PBKDF2 with HMAC-SHA-1 or HMAC-SHA-256, one block of output, and the
 * StoredKey and ServerKey made from it (RFC 5802 §3), so the salted password never reaches JavaScript.
 *
 * Node's crypto.pbkdf2 goes through OpenSSL 3's provider layer, which copies (and allocates) digest contexts
 * on every iteration; that costs more than the hashing itself. Here the inner and outer HMAC states are keyed
 * once and each iteration is two plain copies of a context struct plus OpenSSL's own SHA block functions
 * (the ones linked into Node, with their SHA-NI and AVX paths).
 *
 * A batch of derivations (many registrations at once) runs its PBKDF2 chains side by side: on CPUs with the
 * SHA extensions two at a time straight on those instructions (see shani.c), elsewhere through OpenSSL's
 * multi-buffer block functions (see multi.c), which hash up to eight independent blocks in one SIMD pass.
 */
#include <node_api.h>
#include <openssl/crypto.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "multi.h"
#include "shani.h"

/* What a call computes: Hi() alone, or the stored and server keys from it. */
typedef enum { WANT_HI, WANT_KEYS } hi_want;

typedef struct {
  hi_hash hash;
  uint8_t *pw;
  size_t pw_len;
  uint8_t *salt;
  size_t salt_len;
  uint32_t iterations;
  uint8_t out[HI_MAX_OUT];    /* Hi(), or StoredKey */
  uint8_t server[HI_MAX_OUT]; /* ServerKey */
} hi_job;

/* Jobs that run together on one pool thread and settle one promise. */
typedef struct {
  hi_want want;
  size_t n;
  hi_job *jobs;
  napi_deferred deferred;
  napi_async_work work;
} hi_batch;

/* Hi() of one job, alone, through OpenSSL's block functions. */
static void one_lane(hi_job *job, uint8_t salted[HI_MAX_OUT]) {
  hi_keyed keyed;
  uint8_t u[HI_MAX_OUT];
  hi_key(job->hash, job->pw, job->pw_len, &keyed);
  hi_first(&keyed, job->salt, job->salt_len, u);
  hi_rest(&keyed, u, job->iterations, salted);
  OPENSSL_cleanse(&keyed, sizeof keyed);
  OPENSSL_cleanse(u, sizeof u);
}

static void finish(hi_want want, hi_job *job, uint8_t salted[HI_MAX_OUT]) {
  if (want == WANT_HI) memcpy(job->out, salted, HI_MAX_OUT);
  else hi_keys(job->hash, salted, job->out, job->server);
  OPENSSL_cleanse(salted, HI_MAX_OUT);
}

/*
 * Hi() of several jobs side by side, each then finished: on the SHA extensions (`ni`: two, of either hash),
 * else through OpenSSL's multi-buffer functions (up to HI_LANES, of one hash).
 */
static void side_by_side(int ni, hi_want want, hi_job **jobs, int lanes) {
  hi_keyed keyed[HI_LANES];
  const hi_keyed *keyed_of[HI_LANES];
  uint8_t u[HI_LANES][HI_MAX_OUT], salted[HI_LANES][HI_MAX_OUT];
  uint32_t iterations[HI_LANES];
  for (int j = 0; j < lanes; j++) {
    hi_key(jobs[j]->hash, jobs[j]->pw, jobs[j]->pw_len, &keyed[j]);
    keyed_of[j] = &keyed[j];
    hi_first(&keyed[j], jobs[j]->salt, jobs[j]->salt_len, u[j]);
    iterations[j] = jobs[j]->iterations;
  }
  if (ni) hi_ni_rest(lanes, keyed_of, u, iterations, salted);
  else hi_multi_rest(jobs[0]->hash, lanes, keyed_of, u, iterations, salted);
  for (int j = 0; j < lanes; j++) finish(want, jobs[j], salted[j]);
  OPENSSL_cleanse(keyed, sizeof keyed);
  OPENSSL_cleanse(u, sizeof u);
}

/* Jobs of a hash in pairs; a SHA-1 and a SHA-256 job left over go together (a lone registration's two). */
static void ni_compute(hi_batch *b) {
  hi_job *waiting[2] = {NULL, NULL};
  for (size_t i = 0; i < b->n; i++) {
    hi_job *job = &b->jobs[i];
    const int k = job->hash == HI_SHA1 ? 0 : 1;
    if (waiting[k] == NULL) {
      waiting[k] = job;
      continue;
    }
    hi_job *pair[2] = {waiting[k], job};
    side_by_side(1, b->want, pair, 2);
    waiting[k] = NULL;
  }
  hi_job *rest[2];
  int lanes = 0;
  for (int k = 0; k < 2; k++)
    if (waiting[k] != NULL) rest[lanes++] = waiting[k];
  if (lanes > 0) side_by_side(1, b->want, rest, lanes);
}

/*
 * In pairs on the SHA extensions where the CPU has them; else each hash's jobs in groups of up to HI_LANES,
 * side by side when that is cheaper, one at a time when not.
 */
static void batch_compute(hi_batch *b) {
  if (hi_ni_available()) {
    ni_compute(b);
    return;
  }
  const hi_hash hashes[2] = {HI_SHA1, HI_SHA256};
  for (int k = 0; k < 2; k++) {
    hi_job *group[HI_LANES];
    int lanes = 0;
    for (size_t i = 0; i <= b->n; i++) {
      if (i < b->n && b->jobs[i].hash == hashes[k]) group[lanes++] = &b->jobs[i];
      if (lanes == 0 || (lanes < HI_LANES && i < b->n)) continue;
      if (lanes >= hi_multi_min_lanes() && hi_multi_available(hashes[k])) {
        side_by_side(0, b->want, group, lanes);
      } else {
        for (int j = 0; j < lanes; j++) {
          uint8_t salted[HI_MAX_OUT];
          one_lane(group[j], salted);
          finish(b->want, group[j], salted);
        }
      }
      lanes = 0;
    }
  }
}

static void batch_free(hi_batch *b) {
  for (size_t i = 0; i < b->n; i++) {
    hi_job *job = &b->jobs[i];
    if (job->pw) { OPENSSL_cleanse(job->pw, job->pw_len); free(job->pw); }
    free(job->salt);
  }
  if (b->jobs) { OPENSSL_cleanse(b->jobs, b->n * sizeof *b->jobs); free(b->jobs); }
  free(b);
}

static void throw_type(napi_env env, const char *msg) { napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", msg); }
static void throw_range(napi_env env, const char *msg) { napi_throw_range_error(env, "ERR_OUT_OF_RANGE", msg); }

/* Copies a buffer so the work can run off the JS thread; malloc(0) may return NULL, so ask for one byte. */
static uint8_t *copy_buffer(napi_env env, napi_value value, size_t *len, const char *type_error) {
  bool is_buffer = false;
  void *data = NULL;
  if (napi_is_buffer(env, value, &is_buffer) != napi_ok || !is_buffer ||
      napi_get_buffer_info(env, value, &data, len) != napi_ok) {
    throw_type(env, type_error);
    return NULL;
  }
  uint8_t *copy = malloc(*len > 0 ? *len : 1);
  if (!copy) { napi_throw_error(env, "ERR_MEMORY", "out of memory"); return NULL; }
  if (*len > 0) memcpy(copy, data, *len);
  return copy;
}

/* One job from (hash: "sha1" | "sha256", password: Buffer, salt: Buffer, iterations: integer >= 1); false after a throw. */
static bool job_parse(napi_env env, const napi_value argv[4], hi_job *job) {
  char name[8] = {0};
  size_t name_len = 0;
  if (napi_get_value_string_utf8(env, argv[0], name, sizeof name, &name_len) != napi_ok) name[0] = 0;
  if (strcmp(name, "sha1") == 0) job->hash = HI_SHA1;
  else if (strcmp(name, "sha256") == 0) job->hash = HI_SHA256;
  else { throw_type(env, "hash must be \"sha1\" or \"sha256\""); return false; }
  double iterations = 0;
  if (napi_get_value_double(env, argv[3], &iterations) != napi_ok) { throw_type(env, "iterations must be a number"); return false; }
  if (!(iterations >= 1 && iterations <= UINT32_MAX) || iterations != (double)(uint32_t)iterations) {
    throw_range(env, "iterations must be an integer from 1 to 4294967295");
    return false;
  }
  job->iterations = (uint32_t)iterations;
  return (job->pw = copy_buffer(env, argv[1], &job->pw_len, "password must be a Buffer")) &&
         (job->salt = copy_buffer(env, argv[2], &job->salt_len, "salt must be a Buffer"));
}

static hi_batch *batch_new(napi_env env, hi_want want, size_t n) {
  hi_batch *b = calloc(1, sizeof *b);
  if (b && n > 0 && !(b->jobs = calloc(n, sizeof *b->jobs))) { free(b); b = NULL; }
  if (!b) { napi_throw_error(env, "ERR_MEMORY", "out of memory"); return NULL; }
  b->want = want;
  b->n = n;
  return b;
}

static void batch_execute(napi_env env, void *data) {
  (void)env;
  batch_compute(data);
}

static napi_status copy_out(napi_env env, hi_job *job, const uint8_t *bytes, napi_value *result) {
  return napi_create_buffer_copy(env, hi_len(job->hash), bytes, NULL, result);
}

/* Hi() resolves to a Buffer; keys to one [storedKey, serverKey] per job. */
static napi_status batch_result(napi_env env, hi_batch *b, napi_value *result) {
  napi_status status;
  if (b->want == WANT_HI) return copy_out(env, &b->jobs[0], b->jobs[0].out, result);
  if ((status = napi_create_array_with_length(env, b->n, result)) != napi_ok) return status;
  for (size_t i = 0; i < b->n; i++) {
    napi_value pair, stored, server;
    if ((status = copy_out(env, &b->jobs[i], b->jobs[i].out, &stored)) != napi_ok ||
        (status = copy_out(env, &b->jobs[i], b->jobs[i].server, &server)) != napi_ok ||
        (status = napi_create_array_with_length(env, 2, &pair)) != napi_ok ||
        (status = napi_set_element(env, pair, 0, stored)) != napi_ok ||
        (status = napi_set_element(env, pair, 1, server)) != napi_ok ||
        (status = napi_set_element(env, *result, (uint32_t)i, pair)) != napi_ok) {
      return status;
    }
  }
  return napi_ok;
}

static void batch_complete(napi_env env, napi_status status, void *data) {
  hi_batch *b = data;
  napi_value result;
  if (status == napi_ok && batch_result(env, b, &result) == napi_ok) {
    napi_resolve_deferred(env, b->deferred, result);
  } else {
    napi_value message, error;
    napi_create_string_utf8(env, "SCRAM key derivation failed", NAPI_AUTO_LENGTH, &message);
    napi_create_error(env, NULL, message, &error);
    napi_reject_deferred(env, b->deferred, error);
  }
  napi_delete_async_work(env, b->work);
  batch_free(b);
}

/* Queues the batch on libuv's thread pool and returns its promise; frees it after a throw. */
static napi_value start(napi_env env, hi_batch *b) {
  napi_value promise, name;
  if (napi_create_promise(env, &b->deferred, &promise) != napi_ok) {
    batch_free(b);
    napi_throw_error(env, "ERR_MEMORY", "could not create a promise");
    return NULL;
  }
  if (napi_create_string_utf8(env, "hearth:scram", NAPI_AUTO_LENGTH, &name) != napi_ok ||
      napi_create_async_work(env, NULL, name, batch_execute, batch_complete, b, &b->work) != napi_ok ||
      napi_queue_async_work(env, b->work) != napi_ok) {
    /* The promise is dropped unresolved; the caller gets the exception instead. */
    if (b->work) napi_delete_async_work(env, b->work);
    batch_free(b);
    napi_throw_error(env, "ERR_MEMORY", "could not queue the key derivation");
    return NULL;
  }
  return promise;
}

/* hi(hash, password, salt, iterations): Hi() alone, for one derivation. */
static napi_value hi(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return NULL;
  if (argc < 4) { throw_type(env, "expected (hash, password, salt, iterations)"); return NULL; }
  hi_batch *b = batch_new(env, WANT_HI, 1);
  if (!b) return NULL;
  if (!job_parse(env, argv, &b->jobs[0])) { batch_free(b); return NULL; }
  return start(env, b);
}

/* keys(jobs): jobs is an array of [hash, password, salt, iterations]; all are derived on one pool thread. */
static napi_value keys(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value list;
  bool is_array = false;
  uint32_t n = 0;
  if (napi_get_cb_info(env, info, &argc, &list, NULL, NULL) != napi_ok) return NULL;
  if (argc < 1 || napi_is_array(env, list, &is_array) != napi_ok || !is_array ||
      napi_get_array_length(env, list, &n) != napi_ok || n == 0) {
    throw_type(env, "expected a non-empty array of [hash, password, salt, iterations]");
    return NULL;
  }
  hi_batch *b = batch_new(env, WANT_KEYS, n);
  if (!b) return NULL;
  for (uint32_t i = 0; i < n; i++) {
    napi_value item, argv[4];
    uint32_t len = 0;
    bool ok = napi_get_element(env, list, i, &item) == napi_ok && napi_is_array(env, item, &is_array) == napi_ok &&
              is_array && napi_get_array_length(env, item, &len) == napi_ok && len == 4;
    for (uint32_t k = 0; ok && k < 4; k++) ok = napi_get_element(env, item, k, &argv[k]) == napi_ok;
    if (!ok) throw_type(env, "each job must be [hash, password, salt, iterations]");
    if (!ok || !job_parse(env, argv, &b->jobs[i])) { batch_free(b); return NULL; }
  }
  return start(env, b);
}

static napi_value init(napi_env env, napi_value exports) {
  napi_value multi, sha1, sha256, min_lanes, sha_ext;
  hi_multi_init();
  hi_ni_init();
  if (napi_create_object(env, &multi) != napi_ok ||
      napi_get_boolean(env, hi_multi_available(HI_SHA1), &sha1) != napi_ok ||
      napi_get_boolean(env, hi_multi_available(HI_SHA256), &sha256) != napi_ok ||
      napi_set_named_property(env, multi, "sha1", sha1) != napi_ok ||
      napi_set_named_property(env, multi, "sha256", sha256) != napi_ok ||
      napi_create_int32(env, hi_multi_min_lanes(), &min_lanes) != napi_ok ||
      napi_get_boolean(env, hi_ni_available(), &sha_ext) != napi_ok) {
    return NULL;
  }
  napi_property_descriptor props[] = {
    {"hi", NULL, hi, NULL, NULL, NULL, napi_enumerable, NULL},
    {"keys", NULL, keys, NULL, NULL, NULL, napi_enumerable, NULL},
    {"multiBuffer", NULL, NULL, NULL, NULL, multi, napi_enumerable, NULL},
    {"minLanes", NULL, NULL, NULL, NULL, min_lanes, napi_enumerable, NULL},
    {"shaExtensions", NULL, NULL, NULL, NULL, sha_ext, napi_enumerable, NULL},
  };
  if (napi_define_properties(env, exports, 5, props) != napi_ok) return NULL;
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
