using Emu.IR;
using static Emu.Frontend.Translation.InstEmitHelpers;

namespace Emu.Frontend.Translation;

/// <summary>SM3 (SM3SS1, SM3TT1A/B, SM3TT2A/B, SM3PARTW1/2) and SM4 (SM4E, SM4EKEY) emitters.</summary>
public static class InstEmitCryptoSm
{
    private static IrInst V(ArmEmitter e, uint r) => e.Ir.GetVec((int)r);

    private static IrInst Helper(ArmEmitter e, string name, params IrInst[] args) => e.Call(typeof(CryptoSmHelpers), name, args);

    /// <summary>SM3SS1 Vd.4S, Vn.4S, Vm.4S, Va.4S (Va in bits [14:10]).</summary>
    public static void Sm3Ss1(ArmEmitter e, uint w) =>
        e.Ir.SetVec((int)Rd(w), Helper(e, nameof(CryptoSmHelpers.Sm3Ss1), V(e, Rn(w)), V(e, Rm(w)), V(e, Bits(w, 14, 10))));

    /// <summary>SM3TT1A/1B/2A/2B Vd.4S, Vn.4S, Vm.S[imm2]: imm2 in bits [13:12], variant in bits [11:10].</summary>
    public static void Sm3Tt(ArmEmitter e, uint w) =>
        e.Ir.SetVec((int)Rd(w), Helper(e, nameof(CryptoSmHelpers.Sm3Tt), V(e, Rd(w)), V(e, Rn(w)), V(e, Rm(w)),
            e.Const(Bits(w, 13, 12)), e.Const(Bits(w, 11, 10))));

    /// <summary>SM3PARTW1/SM3PARTW2/SM4EKEY: opcode in bits [11:10].</summary>
    public static void Sm3PartWOrSm4EKey(ArmEmitter e, uint w)
    {
        uint rd = Rd(w);
        IrInst r = Bits(w, 11, 10) switch
        {
            0 => Helper(e, nameof(CryptoSmHelpers.Sm3PartW1), V(e, rd), V(e, Rn(w)), V(e, Rm(w))),
            1 => Helper(e, nameof(CryptoSmHelpers.Sm3PartW2), V(e, rd), V(e, Rn(w)), V(e, Rm(w))),
            _ => Helper(e, nameof(CryptoSmHelpers.Sm4EKey), V(e, Rn(w)), V(e, Rm(w))),
        };
        e.Ir.SetVec((int)rd, r);
    }

    /// <summary>SM4E Vd.4S, Vn.4S.</summary>
    public static void Sm4E(ArmEmitter e, uint w) =>
        e.Ir.SetVec((int)Rd(w), Helper(e, nameof(CryptoSmHelpers.Sm4E), V(e, Rd(w)), V(e, Rn(w))));
}
