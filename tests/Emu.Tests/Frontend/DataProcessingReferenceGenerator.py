#!/usr/bin/env python3
# Regenerates DataProcessingReferenceData.cs: runs each instruction on each input set under
# qemu-aarch64 (the reference) and records the resulting X0..X7 and NZCV.
# Needs aarch64-linux-gnu-gcc/as/objdump and qemu-aarch64.
import subprocess, os, tempfile
os.chdir(tempfile.mkdtemp())
insns = r'''
add x0, x1, #0x123
add w0, w4, #1
add x0, x1, #0xabc, lsl #12
adds x0, x3, #1
adds w0, w4, #1
adds w0, w5, #1
subs x0, x1, #0x10
subs w0, w4, #0x7ff
subs x0, x7, #3
subs x0, x7, #4
cmp w6, #0
cmn x5, #1
sub w0, w5, #1, lsl #12
and x0, x1, #0xff00ff00ff00ff00
and w0, w2, #0x0ff00ff0
orr x0, x1, #0x5555555555555555
orr w0, w2, #0x1
eor x0, x2, #0xfffffffffffffffe
eor w0, w1, #0x80000000
ands x0, x3, #0x8000000000000000
ands w0, w1, #0xffff0000
ands x0, x1, #0x3
tst w6, #0x7fffffff
movn x0, #0x1234, lsl #32
movn w0, #0x1234, lsl #16
movz x0, #0xbeef, lsl #48
movz w0, #0xbeef, lsl #16
movk x1, #0xcafe, lsl #16
movk w2, #0xcafe
movk w1, #0xcafe, lsl #16
sbfx x0, x2, #4, #12
sbfx w0, w6, #28, #4
ubfx x0, x2, #60, #4
ubfx w0, w1, #3, #7
sbfiz x0, x1, #4, #8
sbfiz w0, w5, #31, #1
ubfiz x0, x1, #60, #4
ubfiz w0, w2, #8, #16
bfi x1, x2, #8, #16
bfi w1, w2, #28, #4
bfxil x1, x2, #4, #8
bfxil w2, w1, #0, #31
lsl x0, x1, #63
lsl w0, w1, #4
lsr x0, x2, #1
lsr w0, w6, #31
asr x0, x3, #63
asr w0, w6, #4
sxtb x0, w1
sxth x0, w2
sxtw x0, w6
sxtb w0, w2
uxtb w0, w2
uxth w0, w1
ror x0, x1, #12
ror w0, w1, #4
extr x0, x1, x2, #20
extr w0, w1, w2, #12
extr x0, x1, x2, #0
and x0, x1, x2, lsl #4
and w0, w1, w2, asr #4
bic x0, x1, x2, ror #8
bic w0, w2, w1, lsr #31
orr x0, x1, x2, asr #63
orr w0, w6, w7, lsl #31
orn x0, x1, x2
orn w0, wzr, w1
eor x0, x1, x2, ror #63
eor w0, w1, w2, ror #16
eon x0, x1, x2, lsl #1
ands x0, x1, x2
ands w0, w6, w6
ands x0, x1, xzr
bics x0, x3, x2
bics w0, w1, w1, ror #0
add x0, x1, x2, lsl #3
add w0, w4, w5, lsr #1
adds x0, x3, x3
adds x0, x1, x2
adds w0, w4, w4
adds w0, w5, w6, asr #31
sub x0, x1, x2, asr #2
subs x0, x1, x2
subs x0, x2, x1
subs w0, w6, w7
subs w0, w4, w5
subs x0, x7, x7, lsl #0
cmp x3, x7
neg x0, x1
negs w0, w6
add x0, x1, w2, sxtw
add x0, x1, w2, uxtw #4
add x0, x1, w6, sxtb #1
add w0, w1, w2, uxth #2
adds x0, x1, x2, sxtx #3
adds w0, w5, w7, uxtb
sub x0, x1, w2, sxth
subs x0, x1, w6, sxtw #2
subs w0, w4, w5, uxtw
adc x0, x1, x2
adc w0, w5, w7
adcs x0, x3, x3
adcs x0, x1, x2
adcs w0, w5, wzr
adcs w0, w4, w6
sbc x0, x1, x2
sbc w0, w7, w7
sbcs x0, x1, x2
sbcs x0, x7, x7
sbcs w0, w6, w7
ngcs x0, x1
ccmp x1, x2, #5, eq
ccmp x1, x1, #5, ne
ccmp w4, w6, #0xa, cs
ccmn x5, x7, #2, mi
ccmn w5, w7, #2, al
ccmp x7, #3, #4, hi
ccmp w6, #31, #15, ls
ccmn x3, #1, #0, ge
ccmn w4, #1, #0, lt
csel x0, x1, x2, eq
csel w0, w1, w2, ne
csinc x0, x1, x2, cs
csinc w0, w1, w5, cc
csinv x0, x1, x2, mi
csinv w0, w1, w2, pl
csneg x0, x1, x2, vs
csneg w0, w1, w6, vc
cset x0, gt
cset w0, le
csetm x0, hi
cinc x0, x1, ls
cneg w0, w7, ge
csel x0, x1, x2, nv
madd x0, x1, x2, x3
madd w0, w1, w2, w7
msub x0, x1, x2, x3
msub w0, w4, w4, w5
mul x0, x3, x5
mneg w0, w6, w5
smaddl x0, w1, w2, x3
smsubl x0, w6, w4, x7
umaddl x0, w1, w2, x3
umsubl x0, w5, w5, x7
smull x0, w6, w6
umull x0, w6, w6
smulh x0, x1, x2
smulh x0, x3, x3
umulh x0, x1, x2
umulh x0, x5, x3
udiv x0, x1, x7
udiv x0, x1, xzr
udiv w0, w5, w7
sdiv x0, x2, x7
sdiv x0, x3, x5
sdiv x0, x3, xzr
sdiv w0, w6, w5
sdiv w0, w6, w7
lslv x0, x1, x7
lsl x0, x1, x6
lsl w0, w1, w2
lsrv x0, x2, x1
lsr w0, w6, w7
asr x0, x3, x2
asr w0, w6, w2
ror x0, x1, x2
ror w0, w1, w7
rbit x0, x1
rbit w0, w6
rev16 x0, x1
rev16 w0, w2
rev32 x0, x1
rev w0, w1
rev x0, x2
clz x0, x7
clz x0, xzr
clz w0, w4
clz w0, w6
cls x0, x3
cls x0, x2
cls x0, xzr
cls w0, w5
cls w0, w4
cls w0, w7
cfinv
rmif x1, #0, #15
rmif x2, #60, #6
rmif x6, #31, #8
setf8 w1
setf8 w6
setf8 w7
setf16 w2
setf16 w6
setf16 w4
bfc x1, #8, #8
bfc w2, #0, #31
extr x0, xzr, x1, #4
extr w0, w1, wzr, #31
ror x0, x1, #0
sbfx x0, xzr, #0, #64
ubfx x0, x2, #0, #64
sxtw x0, w6
asr x0, x3, #0
ccmp xzr, #0, #0, al
sdiv w0, w6, w7
neg w0, w6
mvn x0, x1
'''.strip().splitlines()

inputs = [
  ([0, 0x0123456789abcdef, 0xfedcba9876543210, 0x8000000000000000, 0x7fffffff, 0xffffffff, 0x80000000, 3], 0x00000000),
  ([0x1111, 0xffffffffffffff80, 0x00000000ffff7fff, 0x7fffffffffffffff, 0xfffffffe, 0xffffffffffffffff, 0x123456780000001f, 0], 0x20000000),
  ([5, 0x8000000080000000, 0x100, 0xfffffffffffff000, 0xaaaaaaaa, 0x1234, 0xffffffff80000000, 0x40], 0x90000000),
  ([7, 0x0000ffff0000ffff, 0x7, 0x1, 0x7fffffff, 0x80000001, 0x8000, 0xfffffffffffffffd], 0x60000000),
]

c = ['#include <stdio.h>', '#include <stdint.h>']
for i, ins in enumerate(insns):
    c.append(f'''static void case_{i}(uint64_t *in, uint64_t *out) {{
  asm volatile("ldp x0, x1, [%0]\\n ldp x2, x3, [%0, #16]\\n ldp x4, x5, [%0, #32]\\n ldp x6, x7, [%0, #48]\\n ldr x8, [%0, #64]\\n msr nzcv, x8\\n"
    "{ins}\\n"
    "mrs x8, nzcv\\n stp x0, x1, [%1]\\n stp x2, x3, [%1, #16]\\n stp x4, x5, [%1, #32]\\n stp x6, x7, [%1, #48]\\n str x8, [%1, #64]\\n"
    :: "r"(in), "r"(out) : "x0","x1","x2","x3","x4","x5","x6","x7","x8","memory","cc");
}}''')
c.append('typedef void (*fn)(uint64_t*, uint64_t*);')
c.append('static fn cases[] = {' + ','.join(f'case_{i}' for i in range(len(insns))) + '};')
c.append('static uint64_t inputs[][9] = {' + ','.join('{' + ','.join(hex(v)+'ULL' for v in regs + [fl]) + '}' for regs, fl in inputs) + '};')
c.append('''int main(void) {
  for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++)
    for (unsigned j = 0; j < sizeof inputs / sizeof inputs[0]; j++) {
      uint64_t out[9];
      cases[i](inputs[j], out);
      printf("%u %u", i, j);
      for (int k = 0; k < 9; k++) printf(" %llx", (unsigned long long)out[k]);
      printf("\\n");
    }
  return 0;
}''')
open('ref.c', 'w').write('\n'.join(c))
subprocess.check_call(['aarch64-linux-gnu-gcc', '-O1', '-static', '-march=armv8.4-a', '-o', 'ref', 'ref.c'])
out = subprocess.check_output(['qemu-aarch64', './ref']).decode().split('\n')
# encodings
open('w.s', 'w').write('\n'.join(insns) + '\n')
subprocess.check_call(['aarch64-linux-gnu-as', '-march=armv8.4-a', 'w.s', '-o', 'w.o'])
dis = subprocess.check_output(['aarch64-linux-gnu-objdump', '-d', 'w.o']).decode().splitlines()
import re
words = [m.group(1) for l in dis for m in [re.match(r'^\s*[0-9a-f]+:\t([0-9a-f]{8}) ', l)] if m]
assert len(words) == len(insns), (len(words), len(insns))
res = {}
for l in out:
    if not l: continue
    p = l.split()
    res[(int(p[0]), int(p[1]))] = p[2:]
cs = []
cs.append('// Generated by DataProcessingReferenceGenerator.py (do not edit): the expected values are what qemu-aarch64 computed.')
cs.append('namespace Emu.Tests.Frontend;')
cs.append('')
cs.append('internal static class DataProcessingReferenceData')
cs.append('{')
cs.append('    /// <summary>Input sets: X0..X7 then NZCV.</summary>')
cs.append('    public static readonly ulong[][] Inputs =')
cs.append('    [')
for regs, fl in inputs:
    cs.append('        [' + ', '.join(f'0x{v:x}' for v in regs + [fl]) + '],')
cs.append('    ];')
cs.append('')
cs.append('    /// <summary>(assembly, word, input set, expected X0..X7 then NZCV).</summary>')
cs.append('    public static readonly (string Asm, uint Word, int Input, ulong[] Expected)[] Cases =')
cs.append('    [')
for i, ins in enumerate(insns):
    for j in range(len(inputs)):
        exp = ', '.join('0x' + v for v in res[(i, j)])
        cs.append(f'        ("{ins}", 0x{words[i]}, {j}, [{exp}]),')
cs.append('    ];')
cs.append('}')
open(__import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), 'DataProcessingReferenceData.cs'), 'w').write('\n'.join(cs) + '\n')
print(len(insns), 'instructions', len(res), 'results')
