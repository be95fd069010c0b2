/*
 * Hi()'s iterations 2..n straight on the SHA extensions (SHA1RNDS4, SHA256RNDS2 and their message
 * instructions; Intel's SDM gives their semantics), for CPUs that have them.
 *
 * Each iteration hashes two blocks whose message is the previous digest and a fixed padding, so the digest
 * can stay in registers, in the order the instructions want, from one block to the next: no copy of a
 * context, no byte swapping, no padding written to memory, none of the call overhead that costs OpenSSL's
 * block functions as much as the rounds on such a short message. Two derivations go through one loop so
 * that the CPU overlaps their (serial) chains. The functions are checked against the one-lane path (OpenSSL's
 * own block functions) when the addon loads and are not used if they ever disagree.
 */
#include "shani.h"

#include <openssl/crypto.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#include <immintrin.h>

#define NI_TARGET __attribute__((target("sha,sse4.1,ssse3")))
#define NI_INLINE NI_TARGET __attribute__((always_inline)) static inline

static int ni_ok;

static int cpu_has_sha_ni(void) {
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSSE3) || !(c & bit_SSE4_1)) return 0;
  return __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & bit_SHA) != 0;
}

/*
 * A chaining state or digest in two registers. SHA-1: x = A,B,C,D (A in the top lane, as SHA1RNDS4 and the
 * message words want them), y = E in the top lane, zeros below. SHA-256: as a state x = A,B,E,F and y = C,D,G,H
 * (SHA256RNDS2's halves); as a digest x = a,b,c,d and y = e,f,g,h, lane 0 first, which is the message order.
 */
typedef struct {
  __m128i x, y;
} ni_words;

/* One derivation's running values: the keyed inner and outer states, U(n) and the XOR of U(1)..U(n). */
typedef struct {
  ni_words inner, outer, u, t;
} ni_lane;

/* ---- SHA-1 ---- */

/* One block: `s` is the state; the message words are w0..w3, w0 holding words 0-3 with word 0 on top. */
NI_INLINE void sha1_block(ni_words *s, __m128i w0, __m128i w1, __m128i w2, __m128i w3) {
  __m128i abcd = s->x, e = _mm_add_epi32(s->y, w0), prev = abcd;
  __m128i w[4] = {w0, w1, w2, w3};
  abcd = _mm_sha1rnds4_epu32(abcd, e, 0);
  /* Four rounds per group; from group 4 on, the group's message words from the four before it. */
#define SHA1_GROUP(g, f)                                                                                            \
  {                                                                                                                 \
    if ((g) >= 4)                                                                                                   \
      w[(g) % 4] = _mm_sha1msg2_epu32(                                                                              \
          _mm_xor_si128(_mm_sha1msg1_epu32(w[(g) % 4], w[((g) + 1) % 4]), w[((g) + 2) % 4]), w[((g) + 3) % 4]);     \
    e = _mm_sha1nexte_epu32(prev, w[(g) % 4]);                                                                      \
    prev = abcd;                                                                                                    \
    abcd = _mm_sha1rnds4_epu32(abcd, e, f);                                                                         \
  }
  SHA1_GROUP(1, 0) SHA1_GROUP(2, 0) SHA1_GROUP(3, 0) SHA1_GROUP(4, 0)
  SHA1_GROUP(5, 1) SHA1_GROUP(6, 1) SHA1_GROUP(7, 1) SHA1_GROUP(8, 1) SHA1_GROUP(9, 1)
  SHA1_GROUP(10, 2) SHA1_GROUP(11, 2) SHA1_GROUP(12, 2) SHA1_GROUP(13, 2) SHA1_GROUP(14, 2)
  SHA1_GROUP(15, 3) SHA1_GROUP(16, 3) SHA1_GROUP(17, 3) SHA1_GROUP(18, 3) SHA1_GROUP(19, 3)
#undef SHA1_GROUP
  s->y = _mm_sha1nexte_epu32(prev, s->y);
  s->x = _mm_add_epi32(abcd, s->x);
}

/* HMAC of a 20-byte digest: words 5 (0x80, the padding's first byte) to 15 (the bit length of key block and digest). */
NI_INLINE ni_words sha1_hmac(const ni_words *inner, const ni_words *outer, ni_words msg) {
  const __m128i pad = _mm_set_epi32(0, (int)0x80000000u, 0, 0), zero = _mm_setzero_si128();
  const __m128i bits = _mm_set_epi32(0, 0, 0, (64 + 20) * 8);
  ni_words in = *inner, out = *outer;
  sha1_block(&in, msg.x, _mm_or_si128(msg.y, pad), zero, bits);
  sha1_block(&out, in.x, _mm_or_si128(in.y, pad), zero, bits);
  return out;
}

NI_INLINE void sha1_step(ni_lane *l) {
  l->u = sha1_hmac(&l->inner, &l->outer, l->u);
  l->t.x = _mm_xor_si128(l->t.x, l->u.x);
  l->t.y = _mm_xor_si128(l->t.y, l->u.y);
}

NI_TARGET static ni_words sha1_words(const uint32_t w[5]) {
  return (ni_words){_mm_set_epi32((int)w[0], (int)w[1], (int)w[2], (int)w[3]), _mm_set_epi32((int)w[4], 0, 0, 0)};
}

NI_TARGET static void sha1_out(ni_words d, uint32_t w[5]) {
  w[0] = (uint32_t)_mm_extract_epi32(d.x, 3);
  w[1] = (uint32_t)_mm_extract_epi32(d.x, 2);
  w[2] = (uint32_t)_mm_extract_epi32(d.x, 1);
  w[3] = (uint32_t)_mm_extract_epi32(d.x, 0);
  w[4] = (uint32_t)_mm_extract_epi32(d.y, 3);
}

/* ---- SHA-256 ---- */

static const uint32_t K256[64] __attribute__((aligned(16))) = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

/* One block: `s` is the state (A,B,E,F / C,D,G,H); w0..w3 the message words, four to a register. */
NI_INLINE void sha256_block(ni_words *s, __m128i w0, __m128i w1, __m128i w2, __m128i w3) {
  __m128i abef = s->x, cdgh = s->y, m;
  __m128i w[4] = {w0, w1, w2, w3};
  /* Four rounds per group, two per SHA256RNDS2; from group 4 on, the group's words from the four before it. */
#define SHA256_GROUP(g)                                                                                             \
  {                                                                                                                 \
    if ((g) >= 4)                                                                                                   \
      w[(g) % 4] = _mm_sha256msg2_epu32(_mm_add_epi32(_mm_sha256msg1_epu32(w[(g) % 4], w[((g) + 1) % 4]),          \
                                                      _mm_alignr_epi8(w[((g) + 3) % 4], w[((g) + 2) % 4], 4)),      \
                                        w[((g) + 3) % 4]);                                                          \
    m = _mm_add_epi32(w[(g) % 4], _mm_load_si128((const __m128i *)(K256 + 4 * (g))));                             \
    cdgh = _mm_sha256rnds2_epu32(cdgh, abef, m);                                                                    \
    abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(m, 0x0E));                                           \
  }
  SHA256_GROUP(0) SHA256_GROUP(1) SHA256_GROUP(2) SHA256_GROUP(3) SHA256_GROUP(4) SHA256_GROUP(5)
  SHA256_GROUP(6) SHA256_GROUP(7) SHA256_GROUP(8) SHA256_GROUP(9) SHA256_GROUP(10) SHA256_GROUP(11)
  SHA256_GROUP(12) SHA256_GROUP(13) SHA256_GROUP(14) SHA256_GROUP(15)
#undef SHA256_GROUP
  s->x = _mm_add_epi32(abef, s->x);
  s->y = _mm_add_epi32(cdgh, s->y);
}

/* a,b,c,d / e,f,g,h (a digest, or the hash's words) as A,B,E,F / C,D,G,H, and back. */
NI_INLINE ni_words sha256_to_state(ni_words d) {
  const __m128i badc = _mm_shuffle_epi32(d.x, 0xB1), hgfe = _mm_shuffle_epi32(d.y, 0x1B);
  return (ni_words){_mm_alignr_epi8(badc, hgfe, 8), _mm_blend_epi16(hgfe, badc, 0xF0)};
}

NI_INLINE ni_words sha256_to_digest(ni_words s) {
  const __m128i abef = _mm_shuffle_epi32(s.x, 0x1B), ghcd = _mm_shuffle_epi32(s.y, 0xB1);
  return (ni_words){_mm_blend_epi16(abef, ghcd, 0xF0), _mm_alignr_epi8(ghcd, abef, 8)};
}

/* HMAC of a 32-byte digest: word 8 the padding's 0x80, word 15 the bit length of key block and digest. */
NI_INLINE ni_words sha256_hmac(const ni_words *inner, const ni_words *outer, ni_words msg) {
  const __m128i pad = _mm_set_epi32(0, 0, 0, (int)0x80000000u), bits = _mm_set_epi32((64 + 32) * 8, 0, 0, 0);
  ni_words in = *inner, out = *outer;
  sha256_block(&in, msg.x, msg.y, pad, bits);
  const ni_words mid = sha256_to_digest(in);
  sha256_block(&out, mid.x, mid.y, pad, bits);
  return sha256_to_digest(out);
}

NI_INLINE void sha256_step(ni_lane *l) {
  l->u = sha256_hmac(&l->inner, &l->outer, l->u);
  l->t.x = _mm_xor_si128(l->t.x, l->u.x);
  l->t.y = _mm_xor_si128(l->t.y, l->u.y);
}

NI_TARGET static ni_words sha256_words(const uint32_t w[8]) {
  return (ni_words){_mm_loadu_si128((const __m128i *)w), _mm_loadu_si128((const __m128i *)(w + 4))};
}

NI_TARGET static void sha256_out(ni_words d, uint32_t w[8]) {
  _mm_storeu_si128((__m128i *)w, d.x);
  _mm_storeu_si128((__m128i *)(w + 4), d.y);
}

/* ---- lanes ---- */

static uint32_t be32(const uint8_t *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

NI_TARGET static void lane_load(hi_hash h, const hi_keyed *k, const uint8_t u1[HI_MAX_OUT], ni_lane *l) {
  uint32_t inner[HI_MAX_WORDS], outer[HI_MAX_WORDS], u[HI_MAX_WORDS];
  const int words = hi_words(h);
  hi_state_words(k, 0, inner);
  hi_state_words(k, 1, outer);
  for (int i = 0; i < words; i++) u[i] = be32(u1 + 4 * i);
  if (h == HI_SHA1) {
    l->inner = sha1_words(inner);
    l->outer = sha1_words(outer);
    l->u = sha1_words(u);
  } else {
    l->inner = sha256_to_state(sha256_words(inner));
    l->outer = sha256_to_state(sha256_words(outer));
    l->u = sha256_words(u);
  }
  l->t = l->u;
  OPENSSL_cleanse(inner, sizeof inner);
  OPENSSL_cleanse(outer, sizeof outer);
  OPENSSL_cleanse(u, sizeof u);
}

NI_TARGET static void lane_store(hi_hash h, const ni_lane *l, uint8_t t[HI_MAX_OUT]) {
  uint32_t w[HI_MAX_WORDS];
  if (h == HI_SHA1) sha1_out(l->t, w);
  else sha256_out(l->t, w);
  for (int i = 0; i < hi_words(h); i++) hi_put_be32(t + 4 * i, w[i]);
  OPENSSL_cleanse(w, sizeof w);
}

/* Both lanes while both have iterations left, then the one that has more, alone. */
#define DEFINE_RUN(P)                                                                                     \
  NI_TARGET static void P##_run(ni_lane *l, int lanes, const uint32_t *iterations) {                    \
    const uint32_t both = lanes == 2 && iterations[1] < iterations[0] ? iterations[1] : iterations[0];    \
    uint32_t n = 1;                                                                                       \
    if (lanes == 2)                                                                                       \
      for (; n < both; n++) {                                                                             \
        P##_step(&l[0]);                                                                                  \
        P##_step(&l[1]);                                                                                  \
      }                                                                                                   \
    for (int j = 0; j < lanes; j++)                                                                       \
      for (uint32_t m = n; m < iterations[j]; m++) P##_step(&l[j]);                                       \
  }

DEFINE_RUN(sha1)
DEFINE_RUN(sha256)

/* A SHA-1 and a SHA-256 lane side by side: one registration's own two derivations, when no other waits. */
NI_TARGET static void mixed_run(ni_lane *sha1, uint32_t sha1_iterations, ni_lane *sha256, uint32_t sha256_iterations) {
  const uint32_t both = sha1_iterations < sha256_iterations ? sha1_iterations : sha256_iterations;
  uint32_t n = 1;
  for (; n < both; n++) {
    sha1_step(sha1);
    sha256_step(sha256);
  }
  for (uint32_t m = n; m < sha1_iterations; m++) sha1_step(sha1);
  for (uint32_t m = n; m < sha256_iterations; m++) sha256_step(sha256);
}

void hi_ni_rest(int lanes, const hi_keyed *const *keyed, uint8_t (*u)[HI_MAX_OUT], const uint32_t *iterations,
                uint8_t (*t)[HI_MAX_OUT]) {
  ni_lane l[2];
  for (int j = 0; j < lanes; j++) lane_load(keyed[j]->hash, keyed[j], u[j], &l[j]);
  const hi_hash first = keyed[0]->hash;
  if (lanes == 2 && keyed[1]->hash != first) {
    if (first == HI_SHA1) mixed_run(&l[0], iterations[0], &l[1], iterations[1]);
    else mixed_run(&l[1], iterations[1], &l[0], iterations[0]);
  } else if (first == HI_SHA1) {
    sha1_run(l, lanes, iterations);
  } else {
    sha256_run(l, lanes, iterations);
  }
  for (int j = 0; j < lanes; j++) lane_store(keyed[j]->hash, &l[j], t[j]);
  OPENSSL_cleanse(l, sizeof l);
}

int hi_ni_available(void) { return ni_ok; }

/* One or two lanes of the given hashes, with different passwords, salts and counts. */
static int agrees(int lanes, hi_hash first_hash, uint32_t first, hi_hash second_hash, uint32_t second) {
  const hi_hash hashes[2] = {first_hash, second_hash};
  hi_keyed keyed[2];
  const hi_keyed *of[2] = {&keyed[0], &keyed[1]};
  uint8_t u1[2][HI_MAX_OUT], ni[2][HI_MAX_OUT], one[HI_MAX_OUT];
  const uint32_t iterations[2] = {first, second};
  int ok = 1;
  for (int j = 0; j < lanes; j++) {
    const uint8_t password[3] = {'p', (uint8_t)j, 'w'}, salt[2] = {(uint8_t)j, 's'};
    hi_key(hashes[j], password, sizeof password, &keyed[j]);
    hi_first(&keyed[j], salt, sizeof salt, u1[j]);
  }
  hi_ni_rest(lanes, of, u1, iterations, ni);
  for (int j = 0; j < lanes; j++) {
    hi_rest(&keyed[j], u1[j], iterations[j], one);
    if (memcmp(one, ni[j], hi_len(hashes[j])) != 0) ok = 0;
  }
  return ok;
}

void hi_ni_init(void) {
  if (!cpu_has_sha_ni()) return;
  const hi_hash a = HI_SHA1, b = HI_SHA256;
  ni_ok = agrees(1, a, 1, a, 0) && agrees(1, a, 7, a, 0) && agrees(1, b, 1, b, 0) && agrees(1, b, 7, b, 0) &&
          agrees(2, a, 9, a, 9) && agrees(2, a, 3, a, 11) && agrees(2, a, 12, a, 2) &&
          agrees(2, b, 9, b, 9) && agrees(2, b, 3, b, 11) && agrees(2, b, 12, b, 2) &&
          agrees(2, a, 9, b, 9) && agrees(2, a, 3, b, 11) && agrees(2, b, 3, a, 11) && agrees(2, b, 12, a, 2);
}

#else

#include <stdlib.h>

void hi_ni_init(void) {}
int hi_ni_available(void) { return 0; }
void hi_ni_rest(int lanes, const hi_keyed *const *keyed, uint8_t (*u)[HI_MAX_OUT], const uint32_t *iterations,
                uint8_t (*t)[HI_MAX_OUT]) {
  (void)lanes; (void)keyed; (void)u; (void)iterations; (void)t;
  abort();
}

#endif
