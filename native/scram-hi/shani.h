/* Hi()'s iterations on x86-64's SHA extensions (SHA-NI), one derivation or two side by side. */
#ifndef SCRAM_HI_SHANI_H
#define SCRAM_HI_SHANI_H

#include "hash.h"

/* Checks the CPU and the functions below against the one-lane path; call once before any other. */
void hi_ni_init(void);
/* Whether this CPU has the SHA extensions and the functions below gave the one-lane path's answers. */
int hi_ni_available(void);
/*
 * Iterations 2..n of Hi() for one or two (`lanes`) derivations, each of its keyed states' hash (SHA-1 and
 * SHA-256 may share a call) and with its own count: u[j] holds lane j's U1 on entry and t[j] gets its Hi().
 * Needs hi_ni_available().
 */
void hi_ni_rest(int lanes, const hi_keyed *const *keyed, uint8_t (*u)[HI_MAX_OUT], const uint32_t *iterations,
                uint8_t (*t)[HI_MAX_OUT]);

#endif
