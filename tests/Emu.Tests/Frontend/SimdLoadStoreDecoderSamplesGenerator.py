#!/usr/bin/env python3
# Regenerates SimdLoadStoreDecoderSamples.cs: one or more assembler texts per table line name of the
# load/store and FP/SIMD sections, encoded by aarch64-linux-gnu-as.
import subprocess, os, tempfile, re
out_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'SimdLoadStoreDecoderSamples.cs')
S = {}
def add(name, *asm): S.setdefault(name, []).extend(asm)
ints = [("STRB","strb w4,"),("LDRB","ldrb w4,"),("LDRSB_X","ldrsb x4,"),("LDRSB_W","ldrsb w4,"),("STRH","strh w4,"),("LDRH","ldrh w4,"),
        ("LDRSH_X","ldrsh x4,"),("LDRSH_W","ldrsh w4,"),("STR_W","str w4,"),("LDR_W","ldr w4,"),("LDRSW","ldrsw x4,"),("STR_X","str x4,"),("LDR_X","ldr x4,"),("PRFM","prfm pldl1keep,")]
def mn(t, new):  # ldr* -> ld<new>r*, str* -> st<new>r*
    return re.sub(r'^(ld|st)r', lambda m: m.group(1) + new + 'r', t)
for n, t in ints:
    add(n + "_uoff", f"{t} [x1, #8]", f"{t} [sp]")
    if n == "PRFM":
        add("PRFUM", "prfum pldl1keep, [x1, #-3]")
        add("PRFM_reg", "prfm pldl1keep, [x1, x2]")
        continue
    add(n.replace("STR", "STUR").replace("LDR", "LDUR"), f"{mn(t, 'u')} [x1, #-3]")
    add(n + "_post", f"{t} [x1], #5", f"{t} [sp], #-16")
    add(n + "_pre", f"{t} [x1, #-7]!")
    add(n.replace("STR", "STTR").replace("LDR", "LDTR"), f"{mn(t, 't')} [x1, #3]")
    add(n + "_reg", f"{t} [x1, x2]", f"{t} [x1, w2, sxtw]", f"{t} [sp, w2, uxtw]")
add("LDR_W_lit", "ldr w4, .+8"); add("LDR_X_lit", "ldr x4, .-8"); add("LDRSW_lit", "ldrsw x4, .+16"); add("PRFM_lit", "prfm pldl1keep, .+4")
for w, r in [("W", "w"), ("X", "x")]:
    sc = 4 if w == "W" else 8
    add(f"STNP_{w}", f"stnp {r}4, {r}5, [x1, #{sc}]"); add(f"LDNP_{w}", f"ldnp {r}4, {r}5, [x1]")
    add(f"STP_post_{w}", f"stp {r}4, {r}5, [sp], #{2*sc}"); add(f"LDP_post_{w}", f"ldp {r}4, {r}5, [x1], #-{sc}")
    add(f"STP_{w}", f"stp {r}4, {r}5, [x1, #{sc}]"); add(f"LDP_{w}", f"ldp {r}4, {r}5, [sp]")
    add(f"STP_pre_{w}", f"stp {r}4, {r}5, [sp, #-{2*sc}]!"); add(f"LDP_pre_{w}", f"ldp {r}4, {r}5, [x1, #{sc}]!")
add("LDPSW_post", "ldpsw x4, x5, [x1], #8"); add("LDPSW", "ldpsw x4, x5, [x1, #-8]"); add("LDPSW_pre", "ldpsw x4, x5, [x1, #4]!")
for s, r in [("B", "w"), ("H", "w"), ("_W", "w"), ("_X", "x")]:
    suf = s.lower() if s in "BH" else ""
    add("STXR" + s, f"stxr{suf} w3, {r}4, [x1]"); add("STLXR" + s, f"stlxr{suf} w3, {r}4, [x1]")
    add("LDXR" + s, f"ldxr{suf} {r}4, [x1]"); add("LDAXR" + s, f"ldaxr{suf} {r}4, [sp]")
    add("STLLR" + s, f"stllr{suf} {r}4, [x1]"); add("STLR" + s, f"stlr{suf} {r}4, [x1]")
    add("LDLAR" + s, f"ldlar{suf} {r}4, [x1]"); add("LDAR" + s, f"ldar{suf} {r}4, [x1]")
    add("LDAPR" + s, f"ldapr{suf} {r}4, [x1]")
for w, r in [("W", "w"), ("X", "x")]:
    add(f"STXP_{w}", f"stxp w3, {r}4, {r}5, [x1]"); add(f"STLXP_{w}", f"stlxp w3, {r}4, {r}5, [x1]")
    add(f"LDXP_{w}", f"ldxp {r}4, {r}5, [x1]"); add(f"LDAXP_{w}", f"ldaxp {r}4, {r}5, [x1]")
for n, t in [("STLURB","stlurb w4"),("LDAPURB","ldapurb w4"),("LDAPURSB_X","ldapursb x4"),("LDAPURSB_W","ldapursb w4"),("STLURH","stlurh w4"),("LDAPURH","ldapurh w4"),
             ("LDAPURSH_X","ldapursh x4"),("LDAPURSH_W","ldapursh w4"),("STLUR_W","stlur w4"),("LDAPUR_W","ldapur w4"),("LDAPURSW","ldapursw x4"),("STLUR_X","stlur x4"),("LDAPUR_X","ldapur x4")]:
    add(n, f"{t}, [x1, #-5]")
# FP/SIMD registers
for n, r in [("B", "b"), ("H", "h"), ("S", "s"), ("D", "d"), ("Q", "q")]:
    for op in ["STR", "LDR"]:
        o = op.lower()
        add(f"{op}_{n}_uoff_fp", f"{o} {r}4, [x1, #16]")
        add(f"{mn(op.lower(), 'u').upper()}_{n}_fp", f"{mn(o, 'u')} {r}4, [x1, #-1]")
        add(f"{op}_{n}_post_fp", f"{o} {r}4, [x1], #16")
        add(f"{op}_{n}_pre_fp", f"{o} {r}4, [sp, #-16]!")
        add(f"{op}_{n}_reg_fp", f"{o} {r}4, [x1, x2]")
add("LDR_S_lit", "ldr s4, .+8"); add("LDR_D_lit", "ldr d4, .+8"); add("LDR_Q_lit", "ldr q4, .-16")
for n, r, sc in [("S", "s", 4), ("D", "d", 8), ("Q", "q", 16)]:
    add(f"STNP_{n}", f"stnp {r}4, {r}5, [x1]"); add(f"LDNP_{n}", f"ldnp {r}4, {r}5, [x1, #{sc}]")
    add(f"STP_post_{n}", f"stp {r}4, {r}5, [x1], #{sc}"); add(f"LDP_post_{n}", f"ldp {r}4, {r}5, [x1], #-{sc}")
    add(f"STP_{n}", f"stp {r}4, {r}5, [sp, #{sc}]"); add(f"LDP_{n}", f"ldp {r}4, {r}5, [x1]")
    add(f"STP_pre_{n}", f"stp {r}4, {r}5, [sp, #-{2*sc}]!"); add(f"LDP_pre_{n}", f"ldp {r}4, {r}5, [x1, #{sc}]!")
# SIMD data processing
add("DUP_element", "dup v4.16b, v1.b[3]", "dup v4.2s, v1.s[1]"); add("DUP_general", "dup v4.8h, w1", "dup v4.2d, x1")
add("INS_general", "mov v4.s[1], w1"); add("SMOV", "smov w4, v1.b[1]", "smov x4, v1.s[3]"); add("UMOV", "umov w4, v1.h[1]", "mov x4, v1.d[1]")
add("INS_element", "mov v4.b[1], v1.b[15]"); add("DUP_scalar", "mov d4, v1.d[1]", "dup b4, v1.b[2]")
add("FMOV_W_S", "fmov w4, s1"); add("FMOV_S_W", "fmov s4, w1"); add("FMOV_X_D", "fmov x4, d1"); add("FMOV_D_X", "fmov d4, x1")
add("FMOV_X_D1", "fmov x4, v1.d[1]"); add("FMOV_D1_X", "fmov v4.d[1], x1"); add("FMOV_W_H", "fmov w4, h1"); add("FMOV_H_W", "fmov h4, w1")
add("FMOV_X_H", "fmov x4, h1"); add("FMOV_H_X", "fmov h4, x1")
add("FMOV_S_reg", "fmov s4, s1"); add("FMOV_D_reg", "fmov d4, d1"); add("FMOV_H_reg", "fmov h4, h1")
add("FMOV_S_imm", "fmov s4, #1.0"); add("FMOV_D_imm", "fmov d4, #-0.5"); add("FMOV_H_imm", "fmov h4, #2.0")
add("MOVI_32", "movi v4.4s, #1, lsl #24"); add("ORR_imm_32", "orr v4.2s, #1, lsl #8"); add("MOVI_16", "movi v4.8h, #7")
add("ORR_imm_16", "orr v4.4h, #7, lsl #8"); add("MOVI_msl", "movi v4.4s, #7, msl #16"); add("MOVI_8", "movi v4.16b, #0x41")
add("FMOV_vec_S", "fmov v4.4s, #1.0"); add("MVNI_32", "mvni v4.2s, #3"); add("BIC_imm_32", "bic v4.4s, #3, lsl #16")
add("MVNI_16", "mvni v4.8h, #3, lsl #8"); add("BIC_imm_16", "bic v4.4h, #3"); add("MVNI_msl", "mvni v4.2s, #3, msl #8")
add("MOVI_64", "movi d4, #0xff00ff00ff00ff00", "movi v4.2d, #0"); add("FMOV_vec_D", "fmov v4.2d, #1.0")
for n in ["AND", "BIC", "ORR", "ORN", "EOR", "BSL", "BIT", "BIF"]:
    add(n + "_vec", f"{n.lower()} v4.16b, v1.16b, v2.16b", f"{n.lower()} v4.8b, v1.8b, v2.8b")
for n, arr in [("ADD","4s"),("SUB","2d"),("CMEQ","16b"),("CMTST","8h"),("CMHI","4s"),("CMHS","8b"),("CMGT","2s"),("CMGE","4h"),
               ("UMAX","16b"),("UMIN","8h"),("SMAX","4s"),("SMIN","2s"),("UMAXP","16b"),("UMINP","4h"),("SMAXP","8b"),("SMINP","4s"),("ADDP","2d")]:
    add(n + "_vec", f"{n.lower()} v4.{arr}, v1.{arr}, v2.{arr}")
for n, asm in [("CMGT_zero","cmgt v4.16b, v1.16b, #0"),("CMGE_zero","cmge v4.2d, v1.2d, #0"),("CMEQ_zero","cmeq v4.8b, v1.8b, #0"),
               ("CMLE_zero","cmle v4.4s, v1.4s, #0"),("CMLT_zero","cmlt v4.8h, v1.8h, #0"),("ABS","abs v4.16b, v1.16b"),("NEG","neg v4.2d, v1.2d"),
               ("REV64","rev64 v4.4s, v1.4s"),("REV32","rev32 v4.8h, v1.8h"),("REV16","rev16 v4.16b, v1.16b"),("XTN","xtn v4.8b, v1.8h"),
               ("CNT","cnt v4.8b, v1.8b"),("NOT","not v4.16b, v1.16b"),("ADDV","addv b4, v1.16b"),("UMAXV","umaxv h4, v1.8h"),
               ("UMINV","uminv s4, v1.4s"),("SMAXV","smaxv b4, v1.8b"),("SMINV","sminv h4, v1.4h"),("UADDLV","uaddlv h4, v1.16b"),
               ("SADDLV","saddlv d4, v1.4s"),("ADDP_scalar","addp d4, v1.2d"),("SSHR","sshr v4.4s, v1.4s, #3"),("USHR","ushr v4.16b, v1.16b, #1"),
               ("SSRA","ssra v4.2d, v1.2d, #64"),("USRA","usra v4.8h, v1.8h, #2"),("SHL","shl v4.2s, v1.2s, #31"),("SHRN","shrn v4.8b, v1.8h, #4"),
               ("SSHLL","sxtl v4.8h, v1.8b"),("USHLL","ushll2 v4.2d, v1.4s, #3"),("UZP1","uzp1 v4.16b, v1.16b, v2.16b"),("TRN1","trn1 v4.4s, v1.4s, v2.4s"),
               ("ZIP1","zip1 v4.8b, v1.8b, v2.8b"),("UZP2","uzp2 v4.2d, v1.2d, v2.2d"),("TRN2","trn2 v4.4h, v1.4h, v2.4h"),("ZIP2","zip2 v4.8h, v1.8h, v2.8h"),
               ("EXT","ext v4.16b, v1.16b, v2.16b, #9"),("TBL","tbl v4.16b, {v1.16b, v2.16b}, v3.16b"),("TBX","tbx v4.8b, {v1.16b}, v3.8b")]:
    add(n, asm)
add("XTN", "xtn2 v4.4s, v1.2d"); add("SHRN", "shrn2 v4.16b, v1.8h, #8")
for p_ in ["S", "U"]:
    for nm, asm in [("ADDL", "addl v4.8h, v1.8b, v2.8b"), ("ADDW", "addw2 v4.2d, v1.2d, v2.4s"), ("SUBL", "subl2 v4.4s, v1.8h, v2.8h"), ("SUBW", "subw v4.8h, v1.8h, v2.8b")]:
        add(p_ + nm, p_.lower() + asm)
for n, asm in [("ADD", "add d4, d1, d2"), ("SUB", "sub d4, d1, d2"), ("CMEQ", "cmeq d4, d1, d2"), ("CMTST", "cmtst d4, d1, d2"), ("CMHI", "cmhi d4, d1, d2"),
               ("CMHS", "cmhs d4, d1, d2"), ("CMGT", "cmgt d4, d1, d2"), ("CMGE", "cmge d4, d1, d2"), ("CMGT_zero", "cmgt d4, d1, #0"),
               ("CMGE_zero", "cmge d4, d1, #0"), ("CMEQ_zero", "cmeq d4, d1, #0"), ("CMLE_zero", "cmle d4, d1, #0"), ("CMLT_zero", "cmlt d4, d1, #0"),
               ("ABS", "abs d4, d1"), ("NEG", "neg d4, d1"), ("SSHR", "sshr d4, d1, #63"), ("USHR", "ushr d4, d1, #64"), ("SSRA", "ssra d4, d1, #1"),
               ("USRA", "usra d4, d1, #7"), ("SHL", "shl d4, d1, #5")]:
    add(n + "_scalar", asm)
for p_ in ["S", "U"]:
    for nm, asm in [("MLAL", "mlal v4.8h, v1.8b, v2.8b"), ("MLSL", "mlsl2 v4.2d, v1.4s, v2.4s"), ("MULL", "mull2 v4.4s, v1.8h, v2.8h")]:
        add(p_ + nm, p_.lower() + asm)
add("SHLL", "shll v4.8h, v1.8b, #8", "shll2 v4.2d, v1.4s, #32")
mult = [("1", "{v4.16b}"), ("1_x2", "{v4.8b, v5.8b}"), ("1_x3", "{v4.4s, v5.4s, v6.4s}"), ("1_x4", "{v4.2d, v5.2d, v6.2d, v7.2d}"),
        ("2", "{v4.8h, v5.8h}"), ("3", "{v4.2s, v5.2s, v6.2s}"), ("4", "{v4.16b, v5.16b, v6.16b, v7.16b}")]
for op in ["ST", "LD"]:
    for n, regs in mult:
        base = op.lower() + n[0]
        add(f"{op}{n}_multi", f"{base} {regs}, [x1]")
        add(f"{op}{n}_multi_post", f"{base} {regs}, [x1], x2")
for op in ["ST", "LD"]:
    for n in range(1, 5):
        regs = lambda t: "{" + ", ".join(f"v{4+i}.{t}" for i in range(n)) + "}"
        for el, t, idx in [("B", "b", 9), ("H", "h", 3), ("S", "s", 1)]:
            add(f"{op}{n}_{el}_lane", f"{op.lower()}{n} {regs(t)}[{idx}], [x1]")
            add(f"{op}{n}_{el}_lane_post", f"{op.lower()}{n} {regs(t)}[{idx}], [x1], x2")
        add(f"{op}{n}_S_lane", f"{op.lower()}{n} {regs('d')}[1], [x1]")
        if op == "LD":
            add(f"LD{n}R", f"ld{n}r {regs('4s')}, [x1]")
            add(f"LD{n}R_post", f"ld{n}r {regs('8b')}, [x1], #{n}")
names = list(S)
src = []
for n in names:
    for a in S[n]: src.append(a)
os.chdir(tempfile.mkdtemp())
open('s.s', 'w').write('\n'.join(src) + '\n')
subprocess.run(['aarch64-linux-gnu-as', '-march=armv8.4-a+fp16+rcpc', 's.s', '-o', 's.o'], check=True)
dis = subprocess.run(['aarch64-linux-gnu-objdump', '-d', 's.o'], check=True, capture_output=True, text=True).stdout
words = [int(m.group(1), 16) for m in re.finditer(r'^\s+[0-9a-f]+:\s+([0-9a-f]{8})\s', dis, re.M)]
assert len(words) == len(src), (len(words), len(src))
o = ['// Generated by SimdLoadStoreDecoderSamplesGenerator.py (do not edit): words encoded by aarch64-linux-gnu-as.',
     'namespace Emu.Tests.Frontend;', '', 'internal static class SimdLoadStoreDecoderSamples', '{',
     '    /// <summary>Table line name → (word, assembler text) that must decode to it.</summary>',
     '    public static readonly Dictionary<string, (uint Word, string Asm)[]> Samples = new()', '    {']
i = 0
for n in names:
    items = []
    for a in S[n]:
        items.append(f'(0x{words[i]:08x}, "{a}")'); i += 1
    o.append(f'        ["{n}"] = [{", ".join(items)}],')
o += ['    };', '}']
open(out_path, 'w').write('\n'.join(o) + '\n')
print(len(names), 'names', len(src), 'samples')
