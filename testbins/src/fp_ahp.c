/* FCVT between half and single with FPCR.AHP = 1 (alternative half precision): NaN, infinity, overflow, exponent 31. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>
static void to_h(uint32_t in){ uint64_t fpsr; uint32_t out; float f; memcpy(&f,&in,4);
 __asm__ volatile("mov x9, #0x4000000\n msr fpcr, x9\n msr fpsr, xzr\n fmov s0, %w2\n fcvt h1, s0\n fmov %w0, s1\n mrs %1, fpsr\n msr fpcr, xzr" : "=r"(out), "=r"(fpsr) : "r"(in) : "x9","v0","v1");
 printf("s2h %08x -> %04x fpsr %llx\n", in, out & 0xffff, (unsigned long long)fpsr);}
static void from_h(uint32_t in){ uint64_t fpsr; uint32_t out;
 __asm__ volatile("mov x9, #0x4000000\n msr fpcr, x9\n msr fpsr, xzr\n fmov s0, %w2\n fcvt s1, h0\n fmov %w0, s1\n mrs %1, fpsr\n msr fpcr, xzr" : "=r"(out), "=r"(fpsr) : "r"(in) : "x9","v0","v1");
 printf("h2s %04x -> %08x fpsr %llx\n", in, out, (unsigned long long)fpsr);}
int main(void){ uint32_t v[]={0x47800000,0x7fc00000,0x7f800000,0x48435000,0x47ffe000,0x47fff000,0x3f800000,0xc7800001};
 for(unsigned i=0;i<sizeof v/4;i++) to_h(v[i]);
 uint32_t h[]={0x7c00,0xfc01,0x7fff,0x3c00}; for(unsigned i=0;i<4;i++) from_h(h[i]); return 0;}
