using Emu.Jit;
using Emu.IR;

namespace Emu.Frontend.Translation;

/// <summary>A64 loads and stores: general and FP/SIMD registers, pairs, literals, exclusives, acquire/release.</summary>
public static partial class InstEmit
{
    private static uint Bits(uint word, int lo, int len) => (word >> lo) & ((1u << len) - 1);

    private static long SignedBits(uint word, int lo, int len) => (long)((ulong)Bits(word, lo, len) << (64 - len)) >> (64 - len);

    /// <summary>What a single-register load/store does, from size[31:30], V[26], opc[23:22].</summary>
    private enum Access
    {
        Undefined,
        Store,
        Load,
        LoadSigned64,
        LoadSigned32,
        Prefetch,
        StoreVec,
        LoadVec,
    }

    /// <summary>Classifies a single-register access; <paramref name="scale"/> is log2 of the access size in bytes.</summary>
    private static Access ClassifyAccess(uint word, out int scale)
    {
        uint size = Bits(word, 30, 2), opc = Bits(word, 22, 2);
        if (Bits(word, 26, 1) == 1)
        {
            scale = (int)(((opc >> 1) << 2) | size);
            if (scale > 4) return Access.Undefined;
            return (opc & 1) == 0 ? Access.StoreVec : Access.LoadVec;
        }
        scale = (int)size;
        return opc switch
        {
            0 => Access.Store,
            1 => Access.Load,
            2 => size == 3 ? Access.Prefetch : Access.LoadSigned64,
            _ => size <= 1 ? Access.LoadSigned32 : Access.Undefined,
        };
    }

    /// <summary>Performs a classified access of register Rt at <paramref name="address"/>.</summary>
    private static void EmitAccess(ArmEmitter e, Access kind, int scale, uint rt, IrInst address)
    {
        int bytes = 1 << scale;
        switch (kind)
        {
            case Access.Store:
                e.Ir.Store(address, e.GetX(rt), bytes);
                break;
            case Access.Load:
                e.SetX(rt, e.Ir.Load(address, bytes));
                break;
            case Access.LoadSigned64:
                e.SetX(rt, e.Ir.SignExtend(e.Ir.Load(address, bytes), bytes * 8));
                break;
            case Access.LoadSigned32:
                e.SetW(rt, e.Ir.SignExtend(e.Ir.Load(address, bytes), bytes * 8));
                break;
            case Access.StoreVec:
                e.Ir.StoreVec(address, e.Ir.GetVec((int)rt), bytes);
                break;
            case Access.LoadVec:
                // Scalar FP loads zero the rest of the vector register; LoadVec already does.
                e.Ir.SetVec((int)rt, e.Ir.LoadVec(address, bytes));
                break;
        }
    }

    private static IrInst AddOffset(ArmEmitter e, IrInst b, long offset) => offset == 0 ? b : e.Ir.Add(b, e.Ir.Const(offset));

    /// <summary>LDR/STR (unsigned offset): address = Xn|SP + imm12 scaled by the access size.</summary>
    public static void LoadStoreUnsignedOffset(ArmEmitter e, uint word)
    {
        var kind = ClassifyAccess(word, out int scale);
        if (kind == Access.Undefined)
        {
            e.Undefined();
            return;
        }
        if (kind == Access.Prefetch) return;
        long offset = (long)Bits(word, 10, 12) << scale;
        EmitAccess(e, kind, scale, Bits(word, 0, 5), AddOffset(e, e.GetXsp(Bits(word, 5, 5)), offset));
    }

    /// <summary>
    /// LDUR/STUR, LDTR/STTR (unprivileged = normal in user mode), and pre/post-indexed LDR/STR: signed
    /// imm9 unscaled; bits 11:10 select unscaled (00), post-index (01), unprivileged (10), pre-index (11).
    /// </summary>
    public static void LoadStoreImm9(ArmEmitter e, uint word)
    {
        var kind = ClassifyAccess(word, out int scale);
        uint mode = Bits(word, 10, 2);
        if (kind == Access.Undefined || (mode == 2 && kind is Access.Prefetch or Access.LoadVec or Access.StoreVec)
            || (kind == Access.Prefetch && mode != 0))
        {
            e.Undefined();
            return;
        }
        if (kind == Access.Prefetch) return;
        long offset = SignedBits(word, 12, 9);
        uint rn = Bits(word, 5, 5), rt = Bits(word, 0, 5);
        var b = e.GetXsp(rn);
        var updated = AddOffset(e, b, offset);
        EmitAccess(e, kind, scale, rt, mode == 1 ? b : updated);
        // Writeback after the access: for a load into Rn the written-back address wins (as qemu does).
        if (mode is 1 or 3) e.SetXsp(rn, updated);
    }

    /// <summary>LDR/STR (register offset): Xm or Wm extended by option, shifted by the access size if S.</summary>
    public static void LoadStoreRegisterOffset(ArmEmitter e, uint word)
    {
        var kind = ClassifyAccess(word, out int scale);
        uint option = Bits(word, 13, 3);
        if (kind == Access.Undefined || (option & 2) == 0)
        {
            e.Undefined();
            return;
        }
        if (kind == Access.Prefetch) return;
        var offset = ExtendRegister(e, e.GetX(Bits(word, 16, 5)), option, Bits(word, 12, 1) == 1 ? scale : 0);
        EmitAccess(e, kind, scale, Bits(word, 0, 5), e.Ir.Add(e.GetXsp(Bits(word, 5, 5)), offset));
    }

    /// <summary>Extends a register offset (option 010 UXTW, 011 LSL/UXTX, 110 SXTW, 111 SXTX) and shifts it left.</summary>
    private static IrInst ExtendRegister(ArmEmitter e, IrInst value, uint option, int shift)
    {
        var v = option switch
        {
            2 => e.Ir.ZeroExtend(value, 32),
            6 => e.Ir.SignExtend(value, 32),
            _ => value,
        };
        return shift == 0 ? v : e.Ir.Shl(v, e.Const((ulong)shift));
    }

    /// <summary>LDR (literal) for W/X/SW and S/D/Q, and PRFM (literal): PC-relative imm19 words.</summary>
    public static void LoadLiteral(ArmEmitter e, uint word)
    {
        uint opc = Bits(word, 30, 2), rt = Bits(word, 0, 5);
        bool vec = Bits(word, 26, 1) == 1;
        var address = e.Const(e.Pc + (ulong)(SignedBits(word, 5, 19) * 4));
        if (vec)
        {
            if (opc == 3)
            {
                e.Undefined();
                return;
            }
            e.Ir.SetVec((int)rt, e.Ir.LoadVec(address, 4 << (int)opc));
            return;
        }
        switch (opc)
        {
            case 0:
                e.SetX(rt, e.Ir.Load(address, 4));
                break;
            case 1:
                e.SetX(rt, e.Ir.Load(address, 8));
                break;
            case 2:
                e.SetX(rt, e.Ir.SignExtend(e.Ir.Load(address, 4), 32));
                break;
            default:
                break; // PRFM: no-op
        }
    }

    /// <summary>
    /// LDP/STP/LDNP/STNP/LDPSW, general and FP/SIMD: imm7 scaled by the element size; bits 24:23 select
    /// non-temporal offset (00), post-index (01), offset (10), pre-index (11).
    /// </summary>
    public static void LoadStorePair(ArmEmitter e, uint word)
    {
        uint opc = Bits(word, 30, 2), mode = Bits(word, 23, 2);
        bool vec = Bits(word, 26, 1) == 1, load = Bits(word, 22, 1) == 1;
        uint rt = Bits(word, 0, 5), rn = Bits(word, 5, 5), rt2 = Bits(word, 10, 5);
        int scale;
        bool signed = false;
        if (vec)
        {
            if (opc == 3)
            {
                e.Undefined();
                return;
            }
            scale = 2 + (int)opc;
        }
        else
        {
            if (opc == 3 || (opc == 1 && (!load || mode == 0)))
            {
                e.Undefined();
                return;
            }
            signed = opc == 1;
            scale = opc == 2 ? 3 : 2;
        }
        int bytes = 1 << scale;
        long offset = SignedBits(word, 15, 7) << scale;
        var b = e.GetXsp(rn);
        var updated = AddOffset(e, b, offset);
        var a1 = mode == 1 ? b : updated;
        var a2 = e.Ir.Add(a1, e.Const((ulong)bytes));
        if (vec)
        {
            if (load)
            {
                var v1 = e.Ir.LoadVec(a1, bytes);
                var v2 = e.Ir.LoadVec(a2, bytes);
                e.Ir.SetVec((int)rt, v1);
                e.Ir.SetVec((int)rt2, v2);
            }
            else
            {
                e.Ir.StoreVec(a1, e.Ir.GetVec((int)rt), bytes);
                e.Ir.StoreVec(a2, e.Ir.GetVec((int)rt2), bytes);
            }
        }
        else if (load)
        {
            var v1 = e.Ir.Load(a1, bytes);
            var v2 = e.Ir.Load(a2, bytes);
            if (signed)
            {
                v1 = e.Ir.SignExtend(v1, 32);
                v2 = e.Ir.SignExtend(v2, 32);
            }
            e.SetX(rt, v1);
            e.SetX(rt2, v2);
        }
        else
        {
            var s1 = e.GetX(rt);
            var s2 = e.GetX(rt2);
            e.Ir.Store(a1, s1, bytes);
            e.Ir.Store(a2, s2, bytes);
        }
        if (mode is 1 or 3) e.SetXsp(rn, updated);
    }

    /// <summary>
    /// LDXR/LDAXR/STXR/STLXR (B/H/W/X): size[31:30], L[22], o0[15] (acquire/release). The status register
    /// Ws gets 0 on success, 1 on failure.
    /// </summary>
    public static void LoadStoreExclusive(ArmEmitter e, uint word)
    {
        int bytes = 1 << (int)Bits(word, 30, 2);
        bool load = Bits(word, 22, 1) == 1, ordered = Bits(word, 15, 1) == 1;
        uint rt = Bits(word, 0, 5), rn = Bits(word, 5, 5), rs = Bits(word, 16, 5);
        var address = e.GetXsp(rn);
        if (load)
        {
            e.SetX(rt, e.Ir.LoadExclusive(address, bytes));
            if (ordered) e.Ir.Barrier();
        }
        else
        {
            if (ordered) e.Ir.Barrier();
            e.SetW(rs, e.Ir.StoreExclusive(address, e.GetX(rt), bytes));
        }
    }

    /// <summary>LDXP/LDAXP/STXP/STLXP: sz[30] selects 32- or 64-bit registers.</summary>
    public static void LoadStoreExclusivePair(ArmEmitter e, uint word)
    {
        int bytes = Bits(word, 30, 1) == 1 ? 8 : 4;
        bool load = Bits(word, 22, 1) == 1, ordered = Bits(word, 15, 1) == 1;
        uint rt = Bits(word, 0, 5), rn = Bits(word, 5, 5), rs = Bits(word, 16, 5), rt2 = Bits(word, 10, 5);
        var address = e.GetXsp(rn);
        if (load)
        {
            var lo = e.Ir.LoadExclusivePair(address, bytes);
            var hi = e.Ir.LoadExclusiveHigh();
            e.SetX(rt, lo);
            e.SetX(rt2, hi);
            if (ordered) e.Ir.Barrier();
        }
        else
        {
            if (ordered) e.Ir.Barrier();
            e.SetW(rs, e.Ir.StoreExclusivePair(address, e.GetX(rt), e.GetX(rt2), bytes));
        }
    }

    /// <summary>LDAR/LDLAR/LDAPR (load-acquire, B/H/W/X): a plain load followed by a barrier.</summary>
    public static void LoadAcquire(ArmEmitter e, uint word)
    {
        int bytes = 1 << (int)Bits(word, 30, 2);
        var address = e.GetXsp(Bits(word, 5, 5));
        RequireAligned(e, address, bytes);
        e.SetX(Bits(word, 0, 5), e.Ir.Load(address, bytes));
        e.Ir.Barrier();
    }

    /// <summary>STLR/STLLR (store-release, B/H/W/X): a barrier then a plain store.</summary>
    public static void StoreRelease(ArmEmitter e, uint word)
    {
        int bytes = 1 << (int)Bits(word, 30, 2);
        var address = e.GetXsp(Bits(word, 5, 5));
        var value = e.GetX(Bits(word, 0, 5));
        RequireAligned(e, address, bytes);
        e.Ir.Barrier();
        e.Ir.Store(address, value, bytes);
    }

    /// <summary>Acquire/release accesses must be naturally aligned (no FEAT_LSE2): SIGBUS otherwise.</summary>
    private static void RequireAligned(ArmEmitter e, IrInst address, int bytes)
    {
        if (bytes > 1) e.Call(typeof(AlignmentCheck), nameof(AlignmentCheck.Require), address, e.Const((ulong)bytes));
    }

    /// <summary>LDAPUR*/STLUR* (RCpc, unscaled signed imm9): like LDUR/STUR with acquire/release barriers.</summary>
    public static void LoadStoreRcpcUnscaled(ArmEmitter e, uint word)
    {
        // Same size/opc layout as the other single-register forms (V is 0 here).
        var kind = ClassifyAccess(word, out int scale);
        if (kind is Access.Undefined or Access.Prefetch)
        {
            e.Undefined();
            return;
        }
        var address = AddOffset(e, e.GetXsp(Bits(word, 5, 5)), SignedBits(word, 12, 9));
        RequireAligned(e, address, 1 << scale);
        if (kind == Access.Store) e.Ir.Barrier();
        EmitAccess(e, kind, scale, Bits(word, 0, 5), address);
        if (kind != Access.Store) e.Ir.Barrier();
    }
}
