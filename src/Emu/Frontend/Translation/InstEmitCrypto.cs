using Emu.IR;
using static Emu.Frontend.Translation.InstEmitHelpers;

namespace Emu.Frontend.Translation;

/// <summary>Cryptographic extension (AES, SHA1, SHA2, SHA512, SHA3, PMULL.1Q) and CRC32 emitters.</summary>
public static class InstEmitCrypto
{
    private static IrInst V(ArmEmitter e, uint r) => e.Ir.GetVec((int)r);

    private static IrInst Helper(ArmEmitter e, string name, params IrInst[] args) => e.Call(typeof(CryptoHelpers), name, args);

    /// <summary>AESE/AESD/AESMC/AESIMC: opcode in bits [16:12].</summary>
    public static void Aes(ArmEmitter e, uint w)
    {
        uint rd = Rd(w), rn = Rn(w);
        IrInst r = Bits(w, 16, 12) switch
        {
            4 => Helper(e, nameof(CryptoHelpers.Aese), V(e, rd), V(e, rn)),
            5 => Helper(e, nameof(CryptoHelpers.Aesd), V(e, rd), V(e, rn)),
            6 => Helper(e, nameof(CryptoHelpers.Aesmc), V(e, rn)),
            _ => Helper(e, nameof(CryptoHelpers.Aesimc), V(e, rn)),
        };
        e.Ir.SetVec((int)rd, r);
    }

    /// <summary>SHA three-register: opcode in bits [14:12] (SHA1C/P/M, SHA1SU0, SHA256H/H2, SHA256SU1).</summary>
    public static void ShaThreeReg(ArmEmitter e, uint w)
    {
        uint rd = Rd(w), rn = Rn(w), rm = Rm(w);
        uint op = Bits(w, 14, 12);
        var d = V(e, rd);
        var n = V(e, rn);
        var m = V(e, rm);
        IrInst r = op switch
        {
            0 or 1 or 2 => Helper(e, nameof(CryptoHelpers.Sha1Hash), d, n, m, e.Const(op)),
            3 => Helper(e, nameof(CryptoHelpers.Sha1Su0), d, n, m),
            4 => Helper(e, nameof(CryptoHelpers.Sha256H), d, n, m),
            5 => Helper(e, nameof(CryptoHelpers.Sha256H2), d, n, m),
            _ => Helper(e, nameof(CryptoHelpers.Sha256Su1), d, n, m),
        };
        e.Ir.SetVec((int)rd, r);
    }

    /// <summary>SHA two-register: SHA1H, SHA1SU1, SHA256SU0 (opcode bits [16:12] = 0, 1, 2).</summary>
    public static void ShaTwoReg(ArmEmitter e, uint w)
    {
        uint rd = Rd(w), rn = Rn(w);
        IrInst r = Bits(w, 16, 12) switch
        {
            0 => Helper(e, nameof(CryptoHelpers.Sha1H), V(e, rn)),
            1 => Helper(e, nameof(CryptoHelpers.Sha1Su1), V(e, rd), V(e, rn)),
            _ => Helper(e, nameof(CryptoHelpers.Sha256Su0), V(e, rd), V(e, rn)),
        };
        e.Ir.SetVec((int)rd, r);
    }

    /// <summary>SHA512H/H2/SU1 and RAX1: opcode in bits [11:10].</summary>
    public static void Sha512ThreeReg(ArmEmitter e, uint w)
    {
        uint rd = Rd(w), rn = Rn(w), rm = Rm(w);
        var n = V(e, rn);
        var m = V(e, rm);
        IrInst r = Bits(w, 11, 10) switch
        {
            0 => Helper(e, nameof(CryptoHelpers.Sha512H), V(e, rd), n, m),
            1 => Helper(e, nameof(CryptoHelpers.Sha512H2), V(e, rd), n, m),
            2 => Helper(e, nameof(CryptoHelpers.Sha512Su1), V(e, rd), n, m),
            _ => Helper(e, nameof(CryptoHelpers.Rax1), n, m),
        };
        e.Ir.SetVec((int)rd, r);
    }

    public static void Sha512Su0(ArmEmitter e, uint w) =>
        e.Ir.SetVec((int)Rd(w), Helper(e, nameof(CryptoHelpers.Sha512Su0), V(e, Rd(w)), V(e, Rn(w))));

    /// <summary>EOR3 (bit 21 = 0) and BCAX (bit 21 = 1); Va in bits [14:10].</summary>
    public static void Sha3FourReg(ArmEmitter e, uint w)
    {
        var n = V(e, Rn(w));
        var m = V(e, Rm(w));
        var a = V(e, Bits(w, 14, 10));
        string name = Bit(w, 21) == 0 ? nameof(CryptoHelpers.Eor3) : nameof(CryptoHelpers.Bcax);
        e.Ir.SetVec((int)Rd(w), Helper(e, name, n, m, a));
    }

    public static void Xar(ArmEmitter e, uint w) =>
        e.Ir.SetVec((int)Rd(w), Helper(e, nameof(CryptoHelpers.Xar), V(e, Rn(w)), V(e, Rm(w)), e.Const(Bits(w, 15, 10))));

    /// <summary>PMULL/PMULL2 Vd.1Q: Q (bit 30) picks the upper 64-bit lanes.</summary>
    public static void Pmull64(ArmEmitter e, uint w) =>
        e.Ir.SetVec((int)Rd(w), Helper(e, nameof(CryptoHelpers.Pmull64), V(e, Rn(w)), V(e, Rm(w)), e.Const(Bit(w, 30))));

    /// <summary>CRC32{B,H,W,X} and CRC32C{B,H,W,X}: C in bit 12, size in bits [11:10].</summary>
    public static void Crc32(ArmEmitter e, uint w)
    {
        int bytes = 1 << (int)Bits(w, 11, 10);
        string name = Bit(w, 12) == 0 ? nameof(CryptoHelpers.Crc32) : nameof(CryptoHelpers.Crc32C);
        var r = Helper(e, name, e.GetX(Rn(w)), e.GetX(Rm(w)), e.Const((ulong)bytes));
        e.SetW(Rd(w), r);
    }
}
