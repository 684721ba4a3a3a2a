using Emu.IR;
using static Emu.Frontend.Translation.InstEmitHelpers;

namespace Emu.Frontend.Translation;

/// <summary>A64 "data processing - register": logical/add/sub (shifted, extended), carry, conditional, 1-, 2- and 3-source ops.</summary>
public static class InstEmitDataProcessingRegister
{
    // ---- logical (shifted register) ----

    public static void And(ArmEmitter e, uint w) => Logical(e, w, 0, invert: false);
    public static void Bic(ArmEmitter e, uint w) => Logical(e, w, 0, invert: true);
    public static void Orr(ArmEmitter e, uint w) => Logical(e, w, 1, invert: false);
    public static void Orn(ArmEmitter e, uint w) => Logical(e, w, 1, invert: true);
    public static void Eor(ArmEmitter e, uint w) => Logical(e, w, 2, invert: false);
    public static void Eon(ArmEmitter e, uint w) => Logical(e, w, 2, invert: true);
    public static void Ands(ArmEmitter e, uint w) => Logical(e, w, 3, invert: false);
    public static void Bics(ArmEmitter e, uint w) => Logical(e, w, 3, invert: true);

    private static void Logical(ArmEmitter e, uint w, int opc, bool invert)
    {
        int size = SizeOf(w);
        int amount = (int)Bits(w, 15, 10);
        if (amount >= size)
        {
            e.Undefined();
            return;
        }
        var op2 = ShiftReg(e, e.GetX(Rm(w)), Bits(w, 23, 22), amount, size);
        if (invert) op2 = e.Ir.Not(op2, size);
        var n = e.GetX(Rn(w));
        IrInst result = opc switch
        {
            1 => e.Ir.Or(n, op2, size),
            2 => e.Ir.Xor(n, op2, size),
            _ => e.Ir.And(n, op2, size),
        };
        if (opc == 3) e.Ir.SetFlags(e.Ir.FlagsLogic(result, size));
        e.SetX(Rd(w), result, size);
    }

    // ---- add/subtract (shifted register, extended register, with carry) ----

    public static void AddShifted(ArmEmitter e, uint w) => AddSubShifted(e, w, subtract: false, setFlags: false);
    public static void AddsShifted(ArmEmitter e, uint w) => AddSubShifted(e, w, subtract: false, setFlags: true);
    public static void SubShifted(ArmEmitter e, uint w) => AddSubShifted(e, w, subtract: true, setFlags: false);
    public static void SubsShifted(ArmEmitter e, uint w) => AddSubShifted(e, w, subtract: true, setFlags: true);

    private static void AddSubShifted(ArmEmitter e, uint w, bool subtract, bool setFlags)
    {
        int size = SizeOf(w);
        uint type = Bits(w, 23, 22);
        int amount = (int)Bits(w, 15, 10);
        if (type == 3 || amount >= size)
        {
            e.Undefined();
            return;
        }
        var n = e.GetX(Rn(w));
        var op2 = ShiftReg(e, e.GetX(Rm(w)), type, amount, size);
        AddSubFinish(e, w, n, op2, subtract, setFlags, size, destinationIsSp: false);
    }

    public static void AddExtended(ArmEmitter e, uint w) => AddSubExtended(e, w, subtract: false, setFlags: false);
    public static void AddsExtended(ArmEmitter e, uint w) => AddSubExtended(e, w, subtract: false, setFlags: true);
    public static void SubExtended(ArmEmitter e, uint w) => AddSubExtended(e, w, subtract: true, setFlags: false);
    public static void SubsExtended(ArmEmitter e, uint w) => AddSubExtended(e, w, subtract: true, setFlags: true);

    private static void AddSubExtended(ArmEmitter e, uint w, bool subtract, bool setFlags)
    {
        int size = SizeOf(w);
        int shift = (int)Bits(w, 12, 10);
        if (shift > 4)
        {
            e.Undefined();
            return;
        }
        var n = e.GetXsp(Rn(w));
        var op2 = ExtendReg(e, e.GetX(Rm(w)), Bits(w, 15, 13), shift);
        AddSubFinish(e, w, n, op2, subtract, setFlags, size, destinationIsSp: !setFlags);
    }

    private static void AddSubFinish(ArmEmitter e, uint w, IrInst n, IrInst op2, bool subtract, bool setFlags, int size, bool destinationIsSp)
    {
        var result = subtract ? e.Ir.Sub(n, op2, size) : e.Ir.Add(n, op2, size);
        if (setFlags) e.Ir.SetFlags(subtract ? e.Ir.FlagsSub(n, op2, size) : e.Ir.FlagsAdd(n, op2, size));
        if (destinationIsSp) e.SetXsp(Rd(w), result, size);
        else e.SetX(Rd(w), result, size);
    }

    public static void Adc(ArmEmitter e, uint w) => AddSubCarry(e, w, subtract: false, setFlags: false);
    public static void Adcs(ArmEmitter e, uint w) => AddSubCarry(e, w, subtract: false, setFlags: true);
    public static void Sbc(ArmEmitter e, uint w) => AddSubCarry(e, w, subtract: true, setFlags: false);
    public static void Sbcs(ArmEmitter e, uint w) => AddSubCarry(e, w, subtract: true, setFlags: true);

    private static void AddSubCarry(ArmEmitter e, uint w, bool subtract, bool setFlags)
    {
        int size = SizeOf(w);
        var n = e.GetX(Rn(w));
        var m = e.GetX(Rm(w));
        // SBC is Rn + NOT(Rm) + C.
        if (subtract) m = e.Ir.Not(m, size);
        var carry = CarryFlag(e);
        var result = e.Ir.AddCarry(n, m, carry, size);
        if (setFlags) e.Ir.SetFlags(e.Ir.FlagsAddCarry(n, m, carry, size));
        e.SetX(Rd(w), result, size);
    }

    // ---- flag manipulation (FEAT_FlagM) ----

    public static void Rmif(ArmEmitter e, uint w)
    {
        uint mask = w & 0xf;
        var rotated = e.Ir.Ror(e.GetX(Rn(w)), e.Const(Bits(w, 20, 15)));
        ulong flagMask = (ulong)mask << 28;
        var kept = e.Ir.And(e.Ir.GetFlags(), e.Const(~flagMask & 0xf0000000UL));
        var inserted = e.Ir.And(e.Ir.Shl(rotated, e.Const(28)), e.Const(flagMask));
        e.Ir.SetFlags(e.Ir.Or(kept, inserted));
    }

    public static void Setf8(ArmEmitter e, uint w) => SetFlagsFrom(e, w, 8);
    public static void Setf16(ArmEmitter e, uint w) => SetFlagsFrom(e, w, 16);

    private static void SetFlagsFrom(ArmEmitter e, uint w, int bits)
    {
        // N = op<bits-1>, Z = op<bits-1:0> == 0, V = op<bits> XOR op<bits-1>, C unchanged.
        var op = e.GetX(Rn(w));
        var n = e.Ir.And(e.Ir.Shl(op, e.Const((ulong)(32 - bits))), e.Const(0x80000000UL));
        var z = e.Ir.Shl(e.Ir.Compare(e.Ir.ZeroExtend(op, bits), e.Const(0), IrCompare.Eq), e.Const(30));
        var v = e.Ir.And(e.Ir.Shl(e.Ir.Xor(op, e.Ir.Lsr(op, e.Const(1))), e.Const((ulong)(28 - (bits - 1)))), e.Const(0x10000000UL));
        var c = e.Ir.And(e.Ir.GetFlags(), e.Const(0x20000000UL));
        e.Ir.SetFlags(e.Ir.Or(e.Ir.Or(n, z), e.Ir.Or(v, c)));
    }

    // ---- conditional compare and select ----

    public static void CcmnReg(ArmEmitter e, uint w) => CondCompare(e, w, subtract: false, immediate: false);
    public static void CcmpReg(ArmEmitter e, uint w) => CondCompare(e, w, subtract: true, immediate: false);
    public static void CcmnImm(ArmEmitter e, uint w) => CondCompare(e, w, subtract: false, immediate: true);
    public static void CcmpImm(ArmEmitter e, uint w) => CondCompare(e, w, subtract: true, immediate: true);

    private static void CondCompare(ArmEmitter e, uint w, bool subtract, bool immediate)
    {
        int size = SizeOf(w);
        var n = e.GetX(Rn(w));
        var op2 = immediate ? e.Const(Rm(w)) : e.GetX(Rm(w));
        var compared = subtract ? e.Ir.FlagsSub(n, op2, size) : e.Ir.FlagsAdd(n, op2, size);
        var otherwise = e.Const((ulong)(w & 0xf) << 28);
        e.Ir.SetFlags(e.Ir.Select(Condition(e, Bits(w, 15, 12)), compared, otherwise));
    }

    public static void Csel(ArmEmitter e, uint w) => CondSelect(e, w, 0);
    public static void Csinc(ArmEmitter e, uint w) => CondSelect(e, w, 1);
    public static void Csinv(ArmEmitter e, uint w) => CondSelect(e, w, 2);
    public static void Csneg(ArmEmitter e, uint w) => CondSelect(e, w, 3);

    private static void CondSelect(ArmEmitter e, uint w, int kind)
    {
        int size = SizeOf(w);
        var n = e.GetX(Rn(w));
        var m = e.GetX(Rm(w));
        IrInst other = kind switch
        {
            1 => e.Ir.Add(m, e.Const(1), size),
            2 => e.Ir.Not(m, size),
            3 => e.Ir.Neg(m, size),
            _ => m,
        };
        e.SetX(Rd(w), e.Ir.Select(Condition(e, Bits(w, 15, 12)), n, other), size);
    }

    // ---- data processing (2 source) ----

    public static void Udiv(ArmEmitter e, uint w) => TwoSource(e, w, (a, b, s) => e.Ir.UDiv(a, b, s));
    public static void Sdiv(ArmEmitter e, uint w) => TwoSource(e, w, (a, b, s) => e.Ir.SDiv(a, b, s));
    public static void Lslv(ArmEmitter e, uint w) => TwoSource(e, w, (a, b, s) => e.Ir.Shl(a, b, s));
    public static void Lsrv(ArmEmitter e, uint w) => TwoSource(e, w, (a, b, s) => e.Ir.Lsr(a, b, s));
    public static void Asrv(ArmEmitter e, uint w) => TwoSource(e, w, (a, b, s) => e.Ir.Asr(a, b, s));
    public static void Rorv(ArmEmitter e, uint w) => TwoSource(e, w, (a, b, s) => e.Ir.Ror(a, b, s));

    private static void TwoSource(ArmEmitter e, uint w, Func<IrInst, IrInst, int, IrInst> op)
    {
        int size = SizeOf(w);
        e.SetX(Rd(w), op(e.GetX(Rn(w)), e.GetX(Rm(w)), size), size);
    }

    // ---- data processing (1 source) ----

    public static void Rbit(ArmEmitter e, uint w) => OneSource(e, w, (a, s) => e.Ir.Rbit(a, s));
    public static void Rev16(ArmEmitter e, uint w) => OneSource(e, w, (a, s) => e.Ir.Rev16(a, s));
    public static void Clz(ArmEmitter e, uint w) => OneSource(e, w, (a, s) => e.Ir.Clz(a, s));
    public static void Cls(ArmEmitter e, uint w) => OneSource(e, w, (a, s) => e.Ir.Cls(a, s));

    /// <summary>Opcode 000010: REV32 for 64-bit, REV for 32-bit.</summary>
    public static void Rev32(ArmEmitter e, uint w) => OneSource(e, w, (a, s) => s == 64 ? e.Ir.Rev32(a) : e.Ir.Rev(a, 32));

    /// <summary>Opcode 000011: REV (64-bit only).</summary>
    public static void Rev64(ArmEmitter e, uint w)
    {
        if (SizeOf(w) != 64)
        {
            e.Undefined();
            return;
        }
        OneSource(e, w, (a, s) => e.Ir.Rev(a, 64));
    }

    private static void OneSource(ArmEmitter e, uint w, Func<IrInst, int, IrInst> op)
    {
        int size = SizeOf(w);
        e.SetX(Rd(w), op(e.GetX(Rn(w)), size), size);
    }

    // ---- data processing (3 source) ----

    public static void Madd(ArmEmitter e, uint w) => MulAdd(e, w, subtract: false);
    public static void Msub(ArmEmitter e, uint w) => MulAdd(e, w, subtract: true);

    private static void MulAdd(ArmEmitter e, uint w, bool subtract)
    {
        int size = SizeOf(w);
        var product = e.Ir.Mul(e.GetX(Rn(w)), e.GetX(Rm(w)), size);
        var a = e.GetX(Bits(w, 14, 10));
        e.SetX(Rd(w), subtract ? e.Ir.Sub(a, product, size) : e.Ir.Add(a, product, size), size);
    }

    public static void Smaddl(ArmEmitter e, uint w) => MulAddLong(e, w, signed: true, subtract: false);
    public static void Smsubl(ArmEmitter e, uint w) => MulAddLong(e, w, signed: true, subtract: true);
    public static void Umaddl(ArmEmitter e, uint w) => MulAddLong(e, w, signed: false, subtract: false);
    public static void Umsubl(ArmEmitter e, uint w) => MulAddLong(e, w, signed: false, subtract: true);

    private static void MulAddLong(ArmEmitter e, uint w, bool signed, bool subtract)
    {
        IrInst n = e.GetX(Rn(w)), m = e.GetX(Rm(w));
        n = signed ? e.Ir.SignExtend(n, 32) : e.Ir.ZeroExtend(n, 32);
        m = signed ? e.Ir.SignExtend(m, 32) : e.Ir.ZeroExtend(m, 32);
        var product = e.Ir.Mul(n, m);
        var a = e.GetX(Bits(w, 14, 10));
        e.SetX(Rd(w), subtract ? e.Ir.Sub(a, product) : e.Ir.Add(a, product));
    }

    public static void Smulh(ArmEmitter e, uint w) => e.SetX(Rd(w), e.Ir.SMulHigh(e.GetX(Rn(w)), e.GetX(Rm(w))));
    public static void Umulh(ArmEmitter e, uint w) => e.SetX(Rd(w), e.Ir.UMulHigh(e.GetX(Rn(w)), e.GetX(Rm(w))));
}
