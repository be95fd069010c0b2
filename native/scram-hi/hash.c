/* Each hash through OpenSSL's own SHA functions: the keyed states are copied, never recomputed. */
#include "hash.h"

#include <openssl/crypto.h>
#include <string.h>

/* One set of functions per hash, identical but for the context type and functions. */
#define DEFINE_HASH(P, CTX, INIT, UPDATE, FINAL, ONESHOT, LEN)                                      \
  static void P##_states(const uint8_t *k, size_t k_len, CTX *inner, CTX *outer) {                 \
    uint8_t key[HI_BLOCK] = {0}, pad[HI_BLOCK];                                                    \
    if (k_len > HI_BLOCK) ONESHOT(k, k_len, key); else if (k_len > 0) memcpy(key, k, k_len);       \
    for (int i = 0; i < HI_BLOCK; i++) pad[i] = key[i] ^ 0x36;                                     \
    INIT(inner); UPDATE(inner, pad, HI_BLOCK);                                                     \
    for (int i = 0; i < HI_BLOCK; i++) pad[i] = key[i] ^ 0x5c;                                     \
    INIT(outer); UPDATE(outer, pad, HI_BLOCK);                                                     \
    OPENSSL_cleanse(key, sizeof key); OPENSSL_cleanse(pad, sizeof pad);                            \
  }                                                                                                \
  /* HMAC(key, a || b) from the keyed states; `scratch` is the caller's, wiped once when it is done. */    \
  static void P##_hmac_with(const CTX *inner, const CTX *outer, CTX *scratch, const uint8_t *a,    \
                            size_t a_len, const uint8_t *b, size_t b_len, uint8_t out[LEN]) {      \
    *scratch = *inner;                                                                             \
    UPDATE(scratch, a, a_len); if (b_len > 0) UPDATE(scratch, b, b_len); FINAL(out, scratch);      \
    *scratch = *outer; UPDATE(scratch, out, LEN); FINAL(out, scratch);                             \
  }                                                                                                \
  static void P##_rest(const CTX *inner, const CTX *outer, uint8_t u[LEN], uint32_t iterations,    \
                       uint8_t t[LEN]) {                                                           \
    CTX scratch;                                                                                   \
    memcpy(t, u, LEN);                                                                             \
    for (uint32_t n = 1; n < iterations; n++) {                                                    \
      P##_hmac_with(inner, outer, &scratch, u, LEN, NULL, 0, u);                                   \
      for (int i = 0; i < LEN; i++) t[i] ^= u[i];                                                  \
    }                                                                                              \
    OPENSSL_cleanse(&scratch, sizeof scratch);                                                     \
  }                                                                                                \
  static void P##_keys(const uint8_t salted[LEN], uint8_t stored[LEN], uint8_t server[LEN]) {      \
    uint8_t client[LEN];                                                                           \
    CTX inner, outer, scratch;                                                                     \
    P##_states(salted, LEN, &inner, &outer);                                                       \
    P##_hmac_with(&inner, &outer, &scratch, (const uint8_t *)"Client Key", 10, NULL, 0, client);   \
    ONESHOT(client, LEN, stored);                                                                  \
    P##_hmac_with(&inner, &outer, &scratch, (const uint8_t *)"Server Key", 10, NULL, 0, server);   \
    OPENSSL_cleanse(client, sizeof client); OPENSSL_cleanse(&scratch, sizeof scratch);             \
    OPENSSL_cleanse(&inner, sizeof inner); OPENSSL_cleanse(&outer, sizeof outer);                  \
  }

DEFINE_HASH(sha1, SHA_CTX, SHA1_Init, SHA1_Update, SHA1_Final, SHA1, SHA_DIGEST_LENGTH)
DEFINE_HASH(sha256, SHA256_CTX, SHA256_Init, SHA256_Update, SHA256_Final, SHA256, SHA256_DIGEST_LENGTH)

static const uint8_t BLOCK_ONE[4] = {0, 0, 0, 1};

size_t hi_len(hi_hash h) { return h == HI_SHA1 ? SHA_DIGEST_LENGTH : SHA256_DIGEST_LENGTH; }
int hi_words(hi_hash h) { return h == HI_SHA1 ? 5 : 8; }

void hi_key(hi_hash h, const uint8_t *key, size_t key_len, hi_keyed *k) {
  k->hash = h;
  if (h == HI_SHA1) sha1_states(key, key_len, &k->u.sha1.inner, &k->u.sha1.outer);
  else sha256_states(key, key_len, &k->u.sha256.inner, &k->u.sha256.outer);
}

void hi_state_words(const hi_keyed *k, int outer, uint32_t words[HI_MAX_WORDS]) {
  if (k->hash == HI_SHA1) {
    const SHA_CTX *c = outer ? &k->u.sha1.outer : &k->u.sha1.inner;
    words[0] = c->h0; words[1] = c->h1; words[2] = c->h2; words[3] = c->h3; words[4] = c->h4;
  } else {
    const SHA256_CTX *c = outer ? &k->u.sha256.outer : &k->u.sha256.inner;
    for (int i = 0; i < 8; i++) words[i] = c->h[i];
  }
}

void hi_first(const hi_keyed *k, const uint8_t *salt, size_t salt_len, uint8_t out[HI_MAX_OUT]) {
  if (k->hash == HI_SHA1) {
    SHA_CTX scratch;
    sha1_hmac_with(&k->u.sha1.inner, &k->u.sha1.outer, &scratch, salt, salt_len, BLOCK_ONE, 4, out);
    OPENSSL_cleanse(&scratch, sizeof scratch);
  } else {
    SHA256_CTX scratch;
    sha256_hmac_with(&k->u.sha256.inner, &k->u.sha256.outer, &scratch, salt, salt_len, BLOCK_ONE, 4, out);
    OPENSSL_cleanse(&scratch, sizeof scratch);
  }
}

void hi_rest(const hi_keyed *k, uint8_t u[HI_MAX_OUT], uint32_t iterations, uint8_t t[HI_MAX_OUT]) {
  if (k->hash == HI_SHA1) sha1_rest(&k->u.sha1.inner, &k->u.sha1.outer, u, iterations, t);
  else sha256_rest(&k->u.sha256.inner, &k->u.sha256.outer, u, iterations, t);
}

void hi_keys(hi_hash h, const uint8_t *salted, uint8_t stored[HI_MAX_OUT], uint8_t server[HI_MAX_OUT]) {
  if (h == HI_SHA1) sha1_keys(salted, stored, server);
  else sha256_keys(salted, stored, server);
}
