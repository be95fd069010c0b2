/*
 * OpenSSL's sha1_multi_block and sha256_multi_block (crypto/sha/asm/sha*-mb-x86_64.pl) hash one block for each
 * of up to eight independent messages per call, in SIMD lanes (AVX2: eight at once). OpenSSL made them for
 * its TLS multi-block ciphers and does not declare them in a public header, so they are looked up in the
 * running Node at start-up, and used only after they give the one-lane path's answers. A Node without them
 * (another architecture, a shared OpenSSL that hides them) keeps the one-lane path.
 *
 * Their interface, from OpenSSL's e_aes_cbc_hmac_sha*.c: the context holds each chaining word for all lanes
 * (word w of lane j at state[w][j]); a descriptor per lane gives its blocks, and a lane with none is left
 * as it is; the last argument counts groups of four lanes.
 *
 * On SHA-NI machines they take lanes in pairs, and a pair in which neither lane has a block ends the call:
 * the pairs after it are not hashed (OpenSSL's own callers never leave a pair empty). So every lane in use
 * gets a block at every step, a finished one hashing its last block again for nothing; only the unused
 * lanes at the end get none.
 */
#include "multi.h"

#include <openssl/crypto.h>
#include <string.h>

#if defined(__x86_64__) && defined(__linux__)
#include <cpuid.h>
#include <dlfcn.h>
#define HI_HAVE_LOOKUP 1
#endif

typedef struct {
  const unsigned char *ptr;
  int blocks;
} mb_desc;

typedef struct {
  _Alignas(64) uint32_t w[HI_MAX_WORDS][HI_LANES];
} mb_state;

typedef void (*mb_fn)(mb_state *state, const mb_desc *desc, int groups_of_four);

static mb_fn mb_sha1, mb_sha256;

static mb_fn fn_for(hi_hash h) { return h == HI_SHA1 ? mb_sha1 : mb_sha256; }

int hi_multi_available(hi_hash h) { return fn_for(h) != NULL; }

static int min_lanes = 3;

/*
 * Measured on AVX2 machines: one four-lane pass costs about two and a half one-lane blocks, so two lanes
 * are cheaper apart. With SHA-NI a pass hashes a pair in about the time of one block, so two gain.
 */
int hi_multi_min_lanes(void) { return min_lanes; }

static int has_sha_ni(void) {
#ifdef HI_HAVE_LOOKUP
  unsigned a, b, c, d;
  return __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & (1u << 29)) != 0;
#else
  return 0;
#endif
}

void hi_multi_rest(hi_hash h, int lanes, const hi_keyed *const *keyed, uint8_t (*u)[HI_MAX_OUT],
                   const uint32_t *iterations, uint8_t (*t)[HI_MAX_OUT]) {
  const mb_fn fn = fn_for(h);
  const size_t len = hi_len(h);
  const int words = hi_words(h);
  const int groups = lanes > 4 ? 2 : 1;
  uint32_t inner[HI_LANES][HI_MAX_WORDS], outer[HI_LANES][HI_MAX_WORDS];
  _Alignas(64) uint8_t in_block[HI_LANES][HI_BLOCK], out_block[HI_LANES][HI_BLOCK];
  mb_state st;
  mb_desc desc[HI_LANES];
  uint32_t done = 1, most = 1;

  memset(&st, 0, sizeof st);
  for (int j = 0; j < lanes; j++) {
    hi_state_words(keyed[j], 0, inner[j]);
    hi_state_words(keyed[j], 1, outer[j]);
    hi_pad_block(in_block[j], len);
    hi_pad_block(out_block[j], len);
    memcpy(in_block[j], u[j], len);
    memcpy(t[j], u[j], len);
    if (iterations[j] > most) most = iterations[j];
  }
  for (int j = lanes; j < HI_LANES; j++) desc[j] = (mb_desc){in_block[0], 0};

  for (; done < most; done++) {
    /* U(n+1) = HMAC(P, U(n)): the inner hash of each live lane, then the outer hash of that. */
    for (int j = 0; j < lanes; j++) {
      for (int w = 0; w < words; w++) st.w[w][j] = inner[j][w];
      desc[j] = (mb_desc){in_block[j], 1};
    }
    fn(&st, desc, groups);
    for (int j = 0; j < lanes; j++) {
      for (int w = 0; w < words; w++) hi_put_be32(out_block[j] + 4 * w, st.w[w][j]);
      for (int w = 0; w < words; w++) st.w[w][j] = outer[j][w];
      desc[j] = (mb_desc){out_block[j], 1};
    }
    fn(&st, desc, groups);
    for (int j = 0; j < lanes; j++) {
      if (iterations[j] <= done) continue;
      for (int w = 0; w < words; w++) hi_put_be32(in_block[j] + 4 * w, st.w[w][j]);
      for (size_t i = 0; i < len; i++) t[j][i] ^= in_block[j][i];
    }
  }
  OPENSSL_cleanse(inner, sizeof inner);
  OPENSSL_cleanse(outer, sizeof outer);
  OPENSSL_cleanse(in_block, sizeof in_block);
  OPENSSL_cleanse(out_block, sizeof out_block);
  OPENSSL_cleanse(&st, sizeof st);
}

/*
 * `count` lanes of different passwords, salts and counts, against the one-lane path. The first pair
 * finishes first (the case that stops SHA-NI calls early when a pair is left without blocks), and
 * counts below eight leave unused lanes at the end.
 */
static int agrees(hi_hash h, int count) {
  hi_keyed keyed[HI_LANES];
  const hi_keyed *lanes[HI_LANES];
  uint8_t u1[HI_LANES][HI_MAX_OUT], multi[HI_LANES][HI_MAX_OUT], one[HI_MAX_OUT];
  uint32_t iterations[HI_LANES];
  int ok = 1;
  for (int j = 0; j < count; j++) {
    uint8_t password[3] = {'p', (uint8_t)j, 'w'}, salt[2] = {(uint8_t)j, 's'};
    hi_key(h, password, sizeof password, &keyed[j]);
    lanes[j] = &keyed[j];
    hi_first(&keyed[j], salt, sizeof salt, u1[j]);
    iterations[j] = 2 + (uint32_t)j * 3;
  }
  hi_multi_rest(h, count, lanes, u1, iterations, multi);
  for (int j = 0; j < count; j++) {
    hi_rest(&keyed[j], u1[j], iterations[j], one);
    if (memcmp(one, multi[j], hi_len(h)) != 0) ok = 0;
  }
  return ok;
}

static int agrees_always(hi_hash h) { return agrees(h, HI_LANES) && agrees(h, 5) && agrees(h, 3); }

void hi_multi_init(void) {
#ifdef HI_HAVE_LOOKUP
  mb_sha1 = (mb_fn)dlsym(RTLD_DEFAULT, "sha1_multi_block");
  mb_sha256 = (mb_fn)dlsym(RTLD_DEFAULT, "sha256_multi_block");
  if (mb_sha1 && !agrees_always(HI_SHA1)) mb_sha1 = NULL;
  if (mb_sha256 && !agrees_always(HI_SHA256)) mb_sha256 = NULL;
  if (has_sha_ni()) min_lanes = 2;
#endif
}
