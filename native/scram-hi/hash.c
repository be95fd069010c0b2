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

/*
 * Iterations 2..n: every message is one digest after a key block, so each hash is exactly one padded
 * block. The blocks are padded once and each hash is one call of the compression function, without
 * Update and Final's buffering, padding and wiping at every step (on SHA-NI machines that costs as much
 * as the compression itself).
 */
#define DEFINE_REST(P, CTX, TRANSFORM, LEN, WORDS, GET, SET)                                       \
  static void P##_rest(const CTX *inner, const CTX *outer, const uint8_t u1[LEN],                 \
                       uint32_t iterations, uint8_t t[LEN]) {                                     \
    CTX s = *inner;                                                                                \
    uint8_t in_block[HI_BLOCK], out_block[HI_BLOCK];                                               \
    uint32_t h[WORDS];                                                                             \
    hi_pad_block(in_block, LEN);                                                                   \
    hi_pad_block(out_block, LEN);                                                                  \
    memcpy(in_block, u1, LEN);                                                                     \
    memcpy(t, u1, LEN);                                                                            \
    for (uint32_t n = 1; n < iterations; n++) {                                                    \
      GET(inner, h); SET(&s, h); TRANSFORM(&s, in_block);                                          \
      GET(&s, h); for (int w = 0; w < WORDS; w++) hi_put_be32(out_block + 4 * w, h[w]);            \
      GET(outer, h); SET(&s, h); TRANSFORM(&s, out_block);                                         \
      GET(&s, h); for (int w = 0; w < WORDS; w++) hi_put_be32(in_block + 4 * w, h[w]);             \
      for (int i = 0; i < LEN; i++) t[i] ^= in_block[i];                                           \
    }                                                                                              \
    OPENSSL_cleanse(&s, sizeof s); OPENSSL_cleanse(h, sizeof h);                                   \
    OPENSSL_cleanse(in_block, sizeof in_block); OPENSSL_cleanse(out_block, sizeof out_block);      \
  }

#define SHA1_GET(c, h) ((h)[0] = (c)->h0, (h)[1] = (c)->h1, (h)[2] = (c)->h2, (h)[3] = (c)->h3, (h)[4] = (c)->h4)
#define SHA1_SET(c, h) ((c)->h0 = (h)[0], (c)->h1 = (h)[1], (c)->h2 = (h)[2], (c)->h3 = (h)[3], (c)->h4 = (h)[4])
#define SHA256_GET(c, h) memcpy((h), (c)->h, sizeof (c)->h)
#define SHA256_SET(c, h) memcpy((c)->h, (h), sizeof (c)->h)

DEFINE_REST(sha1, SHA_CTX, SHA1_Transform, SHA_DIGEST_LENGTH, 5, SHA1_GET, SHA1_SET)
DEFINE_REST(sha256, SHA256_CTX, SHA256_Transform, SHA256_DIGEST_LENGTH, 8, SHA256_GET, SHA256_SET)

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

void hi_rest(const hi_keyed *k, const uint8_t u[HI_MAX_OUT], uint32_t iterations, uint8_t t[HI_MAX_OUT]) {
  if (k->hash == HI_SHA1) sha1_rest(&k->u.sha1.inner, &k->u.sha1.outer, u, iterations, t);
  else sha256_rest(&k->u.sha256.inner, &k->u.sha256.outer, u, iterations, t);
}

void hi_keys(hi_hash h, const uint8_t *salted, uint8_t stored[HI_MAX_OUT], uint8_t server[HI_MAX_OUT]) {
  if (h == HI_SHA1) sha1_keys(salted, stored, server);
  else sha256_keys(salted, stored, server);
}
