using Emu.IR;
using static Emu.Frontend.Translation.InstEmitHelpers;

namespace Emu.Frontend.Translation;

/// <summary>A64 "data processing - immediate": PC-relative addressing, add/sub, logical, move wide, bitfield, extract.</summary>
public static class InstEmitDataProcessingImmediate
{
    public static void Adr(ArmEmitter e, uint w)
    {
        long imm = SignExtend((Bits(w, 23, 5) << 2) | Bits(w, 30, 29), 21);
        e.SetX(Rd(w), e.Const(e.Pc + (ulong)imm));
    }

    public static void Adrp(ArmEmitter e, uint w)
    {
        long imm = SignExtend((Bits(w, 23, 5) << 2) | Bits(w, 30, 29), 21) << 12;
        e.SetX(Rd(w), e.Const((e.Pc & ~0xfffUL) + (ulong)imm));
    }

    private static ulong AddSubImmediate(uint w) => (ulong)Bits(w, 21, 10) << (Bit(w, 22) != 0 ? 12 : 0);

    public static void AddImm(ArmEmitter e, uint w) => AddSubImm(e, w, subtract: false, setFlags: false);
    public static void AddsImm(ArmEmitter e, uint w) => AddSubImm(e, w, subtract: false, setFlags: true);
    public static void SubImm(ArmEmitter e, uint w) => AddSubImm(e, w, subtract: true, setFlags: false);
    public static void SubsImm(ArmEmitter e, uint w) => AddSubImm(e, w, subtract: true, setFlags: true);

    private static void AddSubImm(ArmEmitter e, uint w, bool subtract, bool setFlags)
    {
        int size = SizeOf(w);
        // Rn is SP in every form; Rd is SP only when flags are not set (else XZR: CMP/CMN).
        var n = e.GetXsp(Rn(w));
        var imm = e.Const(AddSubImmediate(w));
        var result = subtract ? e.Ir.Sub(n, imm, size) : e.Ir.Add(n, imm, size);
        if (setFlags)
        {
            e.Ir.SetFlags(subtract ? e.Ir.FlagsSub(n, imm, size) : e.Ir.FlagsAdd(n, imm, size));
            e.SetX(Rd(w), result, size);
        }
        else
        {
            e.SetXsp(Rd(w), result, size);
        }
    }

    public static void AndImm(ArmEmitter e, uint w) => LogicalImm(e, w, 0);
    public static void OrrImm(ArmEmitter e, uint w) => LogicalImm(e, w, 1);
    public static void EorImm(ArmEmitter e, uint w) => LogicalImm(e, w, 2);
    public static void AndsImm(ArmEmitter e, uint w) => LogicalImm(e, w, 3);

    private static void LogicalImm(ArmEmitter e, uint w, int opc)
    {
        int size = SizeOf(w);
        uint n = Bit(w, 22);
        if ((size == 32 && n != 0) || !DecodeBitMasks(n, Bits(w, 15, 10), Bits(w, 21, 16), true, size, out ulong imm, out _))
        {
            e.Undefined();
            return;
        }
        var src = e.GetX(Rn(w));
        var c = e.Const(imm);
        IrInst result = opc switch
        {
            1 => e.Ir.Or(src, c, size),
            2 => e.Ir.Xor(src, c, size),
            _ => e.Ir.And(src, c, size),
        };
        if (opc == 3)
        {
            e.Ir.SetFlags(e.Ir.FlagsLogic(result, size));
            e.SetX(Rd(w), result, size);
        }
        else
        {
            e.SetXsp(Rd(w), result, size);
        }
    }

    public static void Movn(ArmEmitter e, uint w) => MoveWide(e, w, 0);
    public static void Movz(ArmEmitter e, uint w) => MoveWide(e, w, 2);
    public static void Movk(ArmEmitter e, uint w) => MoveWide(e, w, 3);

    private static void MoveWide(ArmEmitter e, uint w, int opc)
    {
        int size = SizeOf(w);
        uint hw = Bits(w, 22, 21);
        if (size == 32 && hw >= 2)
        {
            e.Undefined();
            return;
        }
        int shift = (int)hw * 16;
        ulong imm = (ulong)Bits(w, 20, 5) << shift;
        ulong sizeMask = Ones(size);
        if (opc == 0)
        {
            e.SetX(Rd(w), e.Const(~imm & sizeMask));
        }
        else if (opc == 2)
        {
            e.SetX(Rd(w), e.Const(imm));
        }
        else
        {
            var kept = e.Ir.And(e.GetX(Rd(w)), e.Const(~(0xffffUL << shift) & sizeMask), size);
            e.SetX(Rd(w), e.Ir.Or(kept, e.Const(imm), size), size);
        }
    }

    public static void Sbfm(ArmEmitter e, uint w) => Bitfield(e, w, 0);
    public static void Bfm(ArmEmitter e, uint w) => Bitfield(e, w, 1);
    public static void Ubfm(ArmEmitter e, uint w) => Bitfield(e, w, 2);

    private static void Bitfield(ArmEmitter e, uint w, int opc)
    {
        int size = SizeOf(w);
        uint n = Bit(w, 22);
        uint immr = Bits(w, 21, 16), imms = Bits(w, 15, 10);
        if (n != (size == 64 ? 1u : 0u) || (size == 32 && (immr >= 32 || imms >= 32))
            || !DecodeBitMasks(n, imms, immr, false, size, out ulong wmask, out ulong tmask))
        {
            e.Undefined();
            return;
        }
        int r = (int)immr, s = (int)imms;
        var src = e.GetX(Rn(w));
        IrInst result;
        if (opc == 1)
        {
            // BFM: Xd = (Xd & ~(wmask & tmask)) | (ROR(src, r) & wmask & tmask).
            var rotated = r == 0 ? src : e.Ir.Ror(src, e.Const((ulong)r), size);
            ulong field = wmask & tmask;
            var kept = e.Ir.And(e.GetX(Rd(w)), e.Const(~field & Ones(size)), size);
            result = e.Ir.Or(kept, e.Ir.And(rotated, e.Const(field), size), size);
        }
        else if (s >= r)
        {
            // SBFX/UBFX (and ASR/LSR, SXT*/UXT*): move bit s to the top, then shift down to bit 0.
            int up = size - 1 - s;
            int down = up + r;
            // SXTB/SXTH/SXTW to X: one host sign extension (movsx), not a shift pair.
            if (opc == 0 && r == 0 && size == 64 && s is 7 or 15 or 31) result = e.Ir.SignExtend(src, s + 1);
            else
            {
                var top = up == 0 ? src : e.Ir.Shl(src, e.Const((ulong)up), size);
                result = down == 0 ? top
                    : opc == 0 ? e.Ir.Asr(top, e.Const((ulong)down), size) : e.Ir.Lsr(top, e.Const((ulong)down), size);
            }
        }
        else
        {
            // SBFIZ/UBFIZ (and LSL): extend the field src[s:0], then shift it up to bit size-r.
            int up = size - 1 - s;
            IrInst field;
            if (opc == 0 && size == 64 && s is 7 or 15 or 31)
                field = e.Ir.SignExtend(src, s + 1); // SBFIZ of a byte, half or word (an index scaled up)
            else if (opc == 0)
                field = e.Ir.Asr(e.Ir.Shl(src, e.Const((ulong)up), size), e.Const((ulong)up), size);
            else
                field = e.Ir.And(src, e.Const(Ones(s + 1)), size);
            result = e.Ir.Shl(field, e.Const((ulong)(size - r)), size);
        }
        e.SetX(Rd(w), result, size);
    }

    public static void Extr(ArmEmitter e, uint w)
    {
        int size = SizeOf(w);
        uint lsb = Bits(w, 15, 10);
        if (Bit(w, 22) != (size == 64 ? 1u : 0u) || lsb >= size)
        {
            e.Undefined();
            return;
        }
        uint rn = Rn(w), rm = Rm(w);
        var m = e.GetX(rm);
        IrInst result;
        if (lsb == 0) result = m;
        else if (rn == rm) result = e.Ir.Ror(m, e.Const(lsb), size);
        else
            result = e.Ir.Or(e.Ir.Lsr(m, e.Const(lsb), size), e.Ir.Shl(e.GetX(rn), e.Const((ulong)(size - lsb)), size), size);
        e.SetX(Rd(w), result, size);
    }
}
