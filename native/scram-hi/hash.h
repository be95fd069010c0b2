/* One derivation's hashing, a lane at a time: keyed HMAC states, Hi() and the keys made from it. */
#ifndef SCRAM_HI_HASH_H
#define SCRAM_HI_HASH_H

#include <openssl/sha.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define HI_BLOCK 64
#define HI_MAX_OUT SHA256_DIGEST_LENGTH
#define HI_MAX_WORDS 8

typedef enum { HI_SHA1, HI_SHA256 } hi_hash;

/* HMAC's inner and outer states after the key block (RFC 2104), computed once per password. */
typedef struct {
  hi_hash hash;
  union {
    struct { SHA_CTX inner, outer; } sha1;
    struct { SHA256_CTX inner, outer; } sha256;
  } u;
} hi_keyed;

size_t hi_len(hi_hash h);
/* How many 32-bit words the hash's chaining state has (5 or 8). */
int hi_words(hi_hash h);

void hi_key(hi_hash h, const uint8_t *key, size_t key_len, hi_keyed *k);
/* The chaining state after the inner (or outer) key block, as words. */
void hi_state_words(const hi_keyed *k, int outer, uint32_t words[HI_MAX_WORDS]);
/* U1 = HMAC(password, salt || INT(1)), the first block of Hi(). */
void hi_first(const hi_keyed *k, const uint8_t *salt, size_t salt_len, uint8_t out[HI_MAX_OUT]);
/* Iterations 2..n of Hi(), one lane: `u` is U1; `t` gets Hi(). */
void hi_rest(const hi_keyed *k, const uint8_t u[HI_MAX_OUT], uint32_t iterations, uint8_t t[HI_MAX_OUT]);
/* Big-endian store, as SHA-1 and SHA-256 write their words. */
static inline void hi_put_be32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

/* A block holding a digest-long message after the 64-byte key block, padded as SHA-1 and SHA-256 pad. */
static inline void hi_pad_block(uint8_t block[HI_BLOCK], size_t len) {
  memset(block, 0, HI_BLOCK);
  block[len] = 0x80;
  hi_put_be32(block + HI_BLOCK - 4, (uint32_t)(HI_BLOCK + len) * 8);
}
/* StoredKey = H(HMAC(salted, "Client Key")), ServerKey = HMAC(salted, "Server Key"). */
void hi_keys(hi_hash h, const uint8_t *salted, uint8_t stored[HI_MAX_OUT], uint8_t server[HI_MAX_OUT]);

#endif
