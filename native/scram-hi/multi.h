/* Up to HI_LANES derivations of one hash side by side, through OpenSSL's multi-buffer block functions. */
#ifndef SCRAM_HI_MULTI_H
#define SCRAM_HI_MULTI_H

#include "hash.h"

#define HI_LANES 8

/* Looks the functions up and checks them against the one-lane path; call once before any other. */
void hi_multi_init(void);
/* Whether this Node's OpenSSL has (working) multi-buffer functions for the hash. */
int hi_multi_available(hi_hash h);
/* The fewest lanes for which one multi-buffer pass beats hashing them one after another. */
int hi_multi_min_lanes(void);
/*
 * Iterations 2..n of Hi() for `lanes` (at most HI_LANES) derivations of hash `h`, each with its own keyed
 * states and count: u[j] holds lane j's U1 on entry and t[j] gets its Hi(). Needs hi_multi_available(h).
 */
void hi_multi_rest(hi_hash h, int lanes, const hi_keyed *const *keyed, uint8_t (*u)[HI_MAX_OUT],
                   const uint32_t *iterations, uint8_t (*t)[HI_MAX_OUT]);

#endif
