/*
 * SCRAM's Hi() (RFC 5802 §2.2): PBKDF2 with HMAC-SHA-1 or HMAC-SHA-256, one block of output, and the
 * StoredKey and ServerKey made from it (RFC 5802 §3), so the salted password never reaches JavaScript.
 *
 * Node's crypto.pbkdf2 goes through OpenSSL 3's provider layer, which copies (and allocates) digest contexts
 * on every iteration; that costs more than the hashing itself. Here the inner and outer HMAC states are keyed
 * once and each iteration is two plain copies of a context struct plus OpenSSL's own SHA block functions
 * (the ones linked into Node, with their SHA-NI and AVX paths). No hashing is written here.
 */
#include <node_api.h>
#include <openssl/crypto.h>
#include <openssl/sha.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK 64
#define MAX_OUT SHA256_DIGEST_LENGTH

typedef enum { HI_SHA1, HI_SHA256 } hi_hash;

/* One set of functions per hash, identical but for the context type and functions. */
#define DEFINE_HASH(P, CTX, INIT, UPDATE, FINAL, ONESHOT, LEN)                                      \
  /* The HMAC inner and outer states after the key block (RFC 2104), computed once per key. */    \
  static void P##_hmac_states(const uint8_t *k, size_t k_len, CTX *inner, CTX *outer) {            \
    uint8_t key[BLOCK] = {0}, pad[BLOCK];                                                          \
    if (k_len > BLOCK) ONESHOT(k, k_len, key); else if (k_len > 0) memcpy(key, k, k_len);          \
    for (int i = 0; i < BLOCK; i++) pad[i] = key[i] ^ 0x36;                                        \
    INIT(inner); UPDATE(inner, pad, BLOCK);                                                        \
    for (int i = 0; i < BLOCK; i++) pad[i] = key[i] ^ 0x5c;                                        \
    INIT(outer); UPDATE(outer, pad, BLOCK);                                                        \
    OPENSSL_cleanse(key, sizeof key); OPENSSL_cleanse(pad, sizeof pad);                            \
  }                                                                                                \
  /* HMAC(key, a || b) from the keyed states; `scratch` is the caller's, wiped once when it is done. */    \
  static void P##_hmac_with(const CTX *inner, const CTX *outer, CTX *scratch, const uint8_t *a,    \
                            size_t a_len, const uint8_t *b, size_t b_len, uint8_t out[LEN]) {      \
    *scratch = *inner;                                                                             \
    UPDATE(scratch, a, a_len); if (b_len > 0) UPDATE(scratch, b, b_len); FINAL(out, scratch);      \
    *scratch = *outer; UPDATE(scratch, out, LEN); FINAL(out, scratch);                             \
  }                                                                                                \
  static void P##_hi(const uint8_t *pw, size_t pw_len, const uint8_t *salt, size_t salt_len,       \
                     uint32_t iterations, uint8_t out[LEN]) {                                      \
    static const uint8_t block_index[4] = {0, 0, 0, 1};                                            \
    uint8_t u[LEN];                                                                                \
    CTX inner, outer, scratch;                                                                     \
    P##_hmac_states(pw, pw_len, &inner, &outer);                                                   \
    P##_hmac_with(&inner, &outer, &scratch, salt, salt_len, block_index, 4, u);                    \
    memcpy(out, u, LEN);                                                                           \
    for (uint32_t n = 1; n < iterations; n++) {                                                    \
      P##_hmac_with(&inner, &outer, &scratch, u, LEN, NULL, 0, u);                                 \
      for (int i = 0; i < LEN; i++) out[i] ^= u[i];                                                \
    }                                                                                              \
    OPENSSL_cleanse(u, sizeof u); OPENSSL_cleanse(&scratch, sizeof scratch);                       \
    OPENSSL_cleanse(&inner, sizeof inner); OPENSSL_cleanse(&outer, sizeof outer);                  \
  }                                                                                                \
  /* StoredKey = H(HMAC(salted, "Client Key")), ServerKey = HMAC(salted, "Server Key"). */          \
  static void P##_keys(const uint8_t salted[LEN], uint8_t stored[LEN], uint8_t server[LEN]) {      \
    uint8_t client[LEN];                                                                           \
    CTX inner, outer, scratch;                                                                     \
    P##_hmac_states(salted, LEN, &inner, &outer);                                                  \
    P##_hmac_with(&inner, &outer, &scratch, (const uint8_t *)"Client Key", 10, NULL, 0, client);   \
    ONESHOT(client, LEN, stored);                                                                  \
    P##_hmac_with(&inner, &outer, &scratch, (const uint8_t *)"Server Key", 10, NULL, 0, server);   \
    OPENSSL_cleanse(client, sizeof client); OPENSSL_cleanse(&scratch, sizeof scratch);             \
    OPENSSL_cleanse(&inner, sizeof inner); OPENSSL_cleanse(&outer, sizeof outer);                  \
  }

DEFINE_HASH(sha1, SHA_CTX, SHA1_Init, SHA1_Update, SHA1_Final, SHA1, SHA_DIGEST_LENGTH)
DEFINE_HASH(sha256, SHA256_CTX, SHA256_Init, SHA256_Update, SHA256_Final, SHA256, SHA256_DIGEST_LENGTH)

static size_t hash_len(hi_hash h) { return h == HI_SHA1 ? SHA_DIGEST_LENGTH : SHA256_DIGEST_LENGTH; }

/* What a call computes: Hi() alone, or the stored and server keys from it. */
typedef enum { WANT_HI, WANT_KEYS } hi_want;

typedef struct {
  hi_want want;
  hi_hash hash;
  uint8_t *pw;
  size_t pw_len;
  uint8_t *salt;
  size_t salt_len;
  uint32_t iterations;
  uint8_t out[MAX_OUT];    /* Hi(), or StoredKey */
  uint8_t server[MAX_OUT]; /* ServerKey */
  napi_deferred deferred;
  napi_async_work work;
} hi_job;

static void job_compute(hi_job *job) {
  uint8_t salted[MAX_OUT];
  if (job->hash == HI_SHA1) sha1_hi(job->pw, job->pw_len, job->salt, job->salt_len, job->iterations, salted);
  else sha256_hi(job->pw, job->pw_len, job->salt, job->salt_len, job->iterations, salted);
  if (job->want == WANT_HI) memcpy(job->out, salted, sizeof salted);
  else if (job->hash == HI_SHA1) sha1_keys(salted, job->out, job->server);
  else sha256_keys(salted, job->out, job->server);
  OPENSSL_cleanse(salted, sizeof salted);
}

static void job_free(hi_job *job) {
  if (job->pw) { OPENSSL_cleanse(job->pw, job->pw_len); free(job->pw); }
  free(job->salt);
  OPENSSL_cleanse(job->out, sizeof job->out);
  OPENSSL_cleanse(job->server, sizeof job->server);
  free(job);
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

/* Arguments: (hash: "sha1" | "sha256", password: Buffer, salt: Buffer, iterations: integer >= 1). NULL after a throw. */
static hi_job *job_from_args(napi_env env, napi_callback_info info, hi_want want) {
  size_t argc = 4;
  napi_value argv[4];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return NULL;
  if (argc < 4) { throw_type(env, "expected (hash, password, salt, iterations)"); return NULL; }
  char name[8] = {0};
  size_t name_len = 0;
  hi_hash hash;
  if (napi_get_value_string_utf8(env, argv[0], name, sizeof name, &name_len) != napi_ok) name[0] = 0;
  if (strcmp(name, "sha1") == 0) hash = HI_SHA1;
  else if (strcmp(name, "sha256") == 0) hash = HI_SHA256;
  else { throw_type(env, "hash must be \"sha1\" or \"sha256\""); return NULL; }
  double iterations = 0;
  if (napi_get_value_double(env, argv[3], &iterations) != napi_ok) { throw_type(env, "iterations must be a number"); return NULL; }
  if (!(iterations >= 1 && iterations <= UINT32_MAX) || iterations != (double)(uint32_t)iterations) {
    throw_range(env, "iterations must be an integer from 1 to 4294967295");
    return NULL;
  }
  hi_job *job = calloc(1, sizeof *job);
  if (!job) { napi_throw_error(env, "ERR_MEMORY", "out of memory"); return NULL; }
  job->want = want;
  job->hash = hash;
  job->iterations = (uint32_t)iterations;
  if (!(job->pw = copy_buffer(env, argv[1], &job->pw_len, "password must be a Buffer")) ||
      !(job->salt = copy_buffer(env, argv[2], &job->salt_len, "salt must be a Buffer"))) {
    job_free(job);
    return NULL;
  }
  return job;
}

static void job_execute(napi_env env, void *data) {
  (void)env;
  job_compute(data);
}

/* Hi() resolves to a Buffer; keys to [storedKey, serverKey]. */
static napi_status job_result(napi_env env, hi_job *job, napi_value *result) {
  size_t len = hash_len(job->hash);
  napi_value stored, server;
  napi_status status = napi_create_buffer_copy(env, len, job->out, NULL, &stored);
  if (status != napi_ok || job->want == WANT_HI) { *result = stored; return status; }
  if ((status = napi_create_buffer_copy(env, len, job->server, NULL, &server)) != napi_ok) return status;
  if ((status = napi_create_array_with_length(env, 2, result)) != napi_ok) return status;
  if ((status = napi_set_element(env, *result, 0, stored)) != napi_ok) return status;
  return napi_set_element(env, *result, 1, server);
}

static void job_complete(napi_env env, napi_status status, void *data) {
  hi_job *job = data;
  napi_value result;
  if (status == napi_ok && job_result(env, job, &result) == napi_ok) {
    napi_resolve_deferred(env, job->deferred, result);
  } else {
    napi_value message, error;
    napi_create_string_utf8(env, "SCRAM key derivation failed", NAPI_AUTO_LENGTH, &message);
    napi_create_error(env, NULL, message, &error);
    napi_reject_deferred(env, job->deferred, error);
  }
  napi_delete_async_work(env, job->work);
  job_free(job);
}

/* Queues the job on libuv's thread pool and returns its promise. */
static napi_value start(napi_env env, napi_callback_info info, hi_want want) {
  hi_job *job = job_from_args(env, info, want);
  if (!job) return NULL;
  napi_value promise, name;
  if (napi_create_promise(env, &job->deferred, &promise) != napi_ok) {
    job_free(job);
    napi_throw_error(env, "ERR_MEMORY", "could not create a promise");
    return NULL;
  }
  if (napi_create_string_utf8(env, "hearth:scram", NAPI_AUTO_LENGTH, &name) != napi_ok ||
      napi_create_async_work(env, NULL, name, job_execute, job_complete, job, &job->work) != napi_ok ||
      napi_queue_async_work(env, job->work) != napi_ok) {
    /* The promise is dropped unresolved; the caller gets the exception instead. */
    if (job->work) napi_delete_async_work(env, job->work);
    job_free(job);
    napi_throw_error(env, "ERR_MEMORY", "could not queue the key derivation");
    return NULL;
  }
  return promise;
}

static napi_value hi(napi_env env, napi_callback_info info) { return start(env, info, WANT_HI); }
static napi_value keys(napi_env env, napi_callback_info info) { return start(env, info, WANT_KEYS); }

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
    {"hi", NULL, hi, NULL, NULL, NULL, napi_enumerable, NULL},
    {"keys", NULL, keys, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  if (napi_define_properties(env, exports, 2, props) != napi_ok) return NULL;
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
