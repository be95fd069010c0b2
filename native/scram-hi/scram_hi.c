/*
 * SCRAM's Hi() (RFC 5802 §2.2): PBKDF2 with HMAC-SHA-1 or HMAC-SHA-256, one block of output.
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

/* One PBKDF2 function per hash, identical but for the context type and functions. */
#define DEFINE_HI(NAME, CTX, INIT, UPDATE, FINAL, ONESHOT, LEN)                                   \
  static void NAME(const uint8_t *pw, size_t pw_len, const uint8_t *salt, size_t salt_len,         \
                   uint32_t iterations, uint8_t out[LEN]) {                                          \
    uint8_t key[BLOCK] = {0}, pad[BLOCK], u[LEN];                                                    \
    static const uint8_t block_index[4] = {0, 0, 0, 1};                                              \
    CTX inner, outer, c;                                                                             \
    if (pw_len > BLOCK) ONESHOT(pw, pw_len, key); else if (pw_len > 0) memcpy(key, pw, pw_len);      \
    for (int i = 0; i < BLOCK; i++) pad[i] = key[i] ^ 0x36;                                          \
    INIT(&inner); UPDATE(&inner, pad, BLOCK);                                                        \
    for (int i = 0; i < BLOCK; i++) pad[i] = key[i] ^ 0x5c;                                          \
    INIT(&outer); UPDATE(&outer, pad, BLOCK);                                                        \
    c = inner; UPDATE(&c, salt, salt_len); UPDATE(&c, block_index, 4); FINAL(u, &c);                 \
    c = outer; UPDATE(&c, u, LEN); FINAL(u, &c);                                                     \
    memcpy(out, u, LEN);                                                                             \
    for (uint32_t n = 1; n < iterations; n++) {                                                      \
      c = inner; UPDATE(&c, u, LEN); FINAL(u, &c);                                                   \
      c = outer; UPDATE(&c, u, LEN); FINAL(u, &c);                                                   \
      for (int i = 0; i < LEN; i++) out[i] ^= u[i];                                                  \
    }                                                                                                \
    OPENSSL_cleanse(key, sizeof key); OPENSSL_cleanse(pad, sizeof pad); OPENSSL_cleanse(u, sizeof u); \
    OPENSSL_cleanse(&inner, sizeof inner); OPENSSL_cleanse(&outer, sizeof outer);                    \
    OPENSSL_cleanse(&c, sizeof c);                                                                   \
  }

DEFINE_HI(hi_sha1, SHA_CTX, SHA1_Init, SHA1_Update, SHA1_Final, SHA1, SHA_DIGEST_LENGTH)
DEFINE_HI(hi_sha256, SHA256_CTX, SHA256_Init, SHA256_Update, SHA256_Final, SHA256, SHA256_DIGEST_LENGTH)

static size_t hi_len(hi_hash h) { return h == HI_SHA1 ? SHA_DIGEST_LENGTH : SHA256_DIGEST_LENGTH; }

static void hi_compute(hi_hash h, const uint8_t *pw, size_t pw_len, const uint8_t *salt, size_t salt_len,
                       uint32_t iterations, uint8_t *out) {
  if (h == HI_SHA1) hi_sha1(pw, pw_len, salt, salt_len, iterations, out);
  else hi_sha256(pw, pw_len, salt, salt_len, iterations, out);
}

/* Arguments: (hash: "sha1" | "sha256", password: Buffer, salt: Buffer, iterations: integer >= 1). */
typedef struct {
  hi_hash hash;
  uint8_t *pw;
  size_t pw_len;
  uint8_t *salt;
  size_t salt_len;
  uint32_t iterations;
  uint8_t out[MAX_OUT];
  napi_deferred deferred;
  napi_async_work work;
} hi_job;

#define CHECK(call) do { if ((call) != napi_ok) return NULL; } while (0)

static napi_value throw_type(napi_env env, const char *msg) { napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", msg); return NULL; }
static napi_value throw_range(napi_env env, const char *msg) { napi_throw_range_error(env, "ERR_OUT_OF_RANGE", msg); return NULL; }

/* Reads and checks the four arguments into job (pointers into JS memory, not yet copied). Returns 0 on a thrown error. */
static int read_args(napi_env env, napi_callback_info info, hi_job *job) {
  size_t argc = 4;
  napi_value argv[4];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return 0;
  if (argc < 4) { throw_type(env, "expected (hash, password, salt, iterations)"); return 0; }
  char name[8] = {0};
  size_t name_len = 0;
  if (napi_get_value_string_utf8(env, argv[0], name, sizeof name, &name_len) != napi_ok) {
    throw_type(env, "hash must be \"sha1\" or \"sha256\""); return 0;
  }
  if (strcmp(name, "sha1") == 0) job->hash = HI_SHA1;
  else if (strcmp(name, "sha256") == 0) job->hash = HI_SHA256;
  else { throw_type(env, "hash must be \"sha1\" or \"sha256\""); return 0; }
  bool is_buffer = false;
  void *data = NULL;
  if (napi_is_buffer(env, argv[1], &is_buffer) != napi_ok || !is_buffer) { throw_type(env, "password must be a Buffer"); return 0; }
  napi_get_buffer_info(env, argv[1], &data, &job->pw_len);
  job->pw = data;
  if (napi_is_buffer(env, argv[2], &is_buffer) != napi_ok || !is_buffer) { throw_type(env, "salt must be a Buffer"); return 0; }
  napi_get_buffer_info(env, argv[2], &data, &job->salt_len);
  job->salt = data;
  double iterations = 0;
  if (napi_get_value_double(env, argv[3], &iterations) != napi_ok) { throw_type(env, "iterations must be a number"); return 0; }
  if (!(iterations >= 1 && iterations <= UINT32_MAX) || iterations != (double)(uint32_t)iterations) {
    throw_range(env, "iterations must be an integer from 1 to 4294967295"); return 0;
  }
  job->iterations = (uint32_t)iterations;
  return 1;
}

static napi_value hi_sync(napi_env env, napi_callback_info info) {
  hi_job job = {0};
  if (!read_args(env, info, &job)) return NULL;
  uint8_t out[MAX_OUT];
  hi_compute(job.hash, job.pw, job.pw_len, job.salt, job.salt_len, job.iterations, out);
  napi_value result;
  CHECK(napi_create_buffer_copy(env, hi_len(job.hash), out, NULL, &result));
  OPENSSL_cleanse(out, sizeof out);
  return result;
}

static void job_free(hi_job *job) {
  if (job->pw) { OPENSSL_cleanse(job->pw, job->pw_len); free(job->pw); }
  free(job->salt);
  OPENSSL_cleanse(job->out, sizeof job->out);
  free(job);
}

static void job_execute(napi_env env, void *data) {
  (void)env;
  hi_job *job = data;
  hi_compute(job->hash, job->pw, job->pw_len, job->salt, job->salt_len, job->iterations, job->out);
}

static void job_complete(napi_env env, napi_status status, void *data) {
  hi_job *job = data;
  napi_value result;
  if (status == napi_ok && napi_create_buffer_copy(env, hi_len(job->hash), job->out, NULL, &result) == napi_ok) {
    napi_resolve_deferred(env, job->deferred, result);
  } else {
    napi_value message, error;
    napi_create_string_utf8(env, "Hi() was cancelled", NAPI_AUTO_LENGTH, &message);
    napi_create_error(env, NULL, message, &error);
    napi_reject_deferred(env, job->deferred, error);
  }
  napi_delete_async_work(env, job->work);
  job_free(job);
}

/* Copies a buffer so the computation can run off the JS thread; malloc(0) may return NULL, so ask for one byte. */
static uint8_t *copy_bytes(const uint8_t *src, size_t len) {
  uint8_t *copy = malloc(len > 0 ? len : 1);
  if (copy && len > 0) memcpy(copy, src, len);
  return copy;
}

static napi_value hi_async(napi_env env, napi_callback_info info) {
  hi_job args = {0};
  if (!read_args(env, info, &args)) return NULL;
  hi_job *job = calloc(1, sizeof *job);
  if (!job) { napi_throw_error(env, "ERR_MEMORY", "out of memory"); return NULL; }
  *job = args;
  job->pw = copy_bytes(args.pw, args.pw_len);
  job->salt = copy_bytes(args.salt, args.salt_len);
  napi_value promise, name;
  if (!job->pw || !job->salt || napi_create_promise(env, &job->deferred, &promise) != napi_ok ||
      napi_create_string_utf8(env, "hearth:scram-hi", NAPI_AUTO_LENGTH, &name) != napi_ok ||
      napi_create_async_work(env, NULL, name, job_execute, job_complete, job, &job->work) != napi_ok) {
    job_free(job);
    napi_throw_error(env, "ERR_MEMORY", "could not start Hi()");
    return NULL;
  }
  if (napi_queue_async_work(env, job->work) != napi_ok) {
    napi_delete_async_work(env, job->work);
    job_free(job);
    napi_throw_error(env, "ERR_MEMORY", "could not queue Hi()");
    return NULL;
  }
  return promise;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
    {"hi", NULL, hi_async, NULL, NULL, NULL, napi_enumerable, NULL},
    {"hiSync", NULL, hi_sync, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  CHECK(napi_define_properties(env, exports, 2, props));
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
