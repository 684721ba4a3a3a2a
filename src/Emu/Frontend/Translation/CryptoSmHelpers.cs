using System.Numerics;
using System.Runtime.Intrinsics;
using Emu.IR;

namespace Emu.Frontend.Translation;

/// <summary>
/// The Chinese national cryptography instructions: SM3 hash steps (GB/T 32905) and SM4 block cipher rounds
/// (GB/T 32907), each following the ARM ARM pseudocode. Vector words are 32-bit lanes, lane 0 = bits 31:0.
/// </summary>
public static class CryptoSmHelpers
{
    // The SM4 S-box as published in GB/T 32907 (a table by definition; the standard gives no formula for it).
    private static readonly byte[] Sm4SBox = Convert.FromHexString(
        "d690e9fecce13db716b614c228fb2c052b679a762abe04c3aa44132649860699" +
        "9c4250f491ef987a33540b43edcfac62e4b31ca9c908e89580df94fa758f3fa6" +
        "4707a7fcf37317ba83593c19e6854fa8686b81b27164da8bf8eb0f4b70569d35" +
        "1e240e5e6358d1a225227c3b01217887d40046579fd327524c3602e7a0c4c89e" +
        "eabf8ad240c738b5a3f7f2cef96115a1e0ae5da49b341a55ad933230f58cb1e3" +
        "1df6e22e8266ca60c02923ab0d534e6fd5db3745defd8e2f03ff6a726d6c5b51" +
        "8d1baf92bbddbc7f11d95c411f105ad80ac13188a5cd7bbd2d74d012b8e5b4b0" +
        "8969974a0c96777e65b9f109c56ec68418f07dec3adc4d2079ee5f3ed7cb3948");

    private static uint W(Vector128<byte> v, int i) => v.AsUInt32().GetElement(i);

    private static Vector128<byte> Words(uint w0, uint w1, uint w2, uint w3) => Vector128.Create(w0, w1, w2, w3).AsByte();

    private static uint Rol(uint x, int n) => BitOperations.RotateLeft(x, n);

    /// <summary>SM3SS1: ROL(ROL(Vn[3], 12) + Vm[3] + Va[3], 7) in the top word, zeros below.</summary>
    [PureHelper]
    public static Vector128<byte> Sm3Ss1(Vector128<byte> n, Vector128<byte> m, Vector128<byte> a) =>
        Words(0, 0, 0, Rol(Rol(W(n, 3), 12) + W(m, 3) + W(a, 3), 7));

    /// <summary>SM3TT1A/1B (variant bit 0 = B: majority instead of parity) and SM3TT2A/2B (bit 1 = TT2:
    /// choose instead of parity, P0 permutation) for word <paramref name="index"/> of Vm.</summary>
    [PureHelper]
    public static Vector128<byte> Sm3Tt(Vector128<byte> d, Vector128<byte> n, Vector128<byte> m, ulong index, ulong variant)
    {
        uint d0 = W(d, 0), d1 = W(d, 1), d2 = W(d, 2), d3 = W(d, 3);
        uint wj = W(m, (int)index);
        bool b = (variant & 1) != 0, tt2 = (variant & 2) != 0;
        uint top;
        if (!tt2)
        {
            uint ss2 = W(n, 3) ^ Rol(d3, 12);
            uint f = b ? (d3 & d1) | (d3 & d2) | (d1 & d2) : d1 ^ d3 ^ d2;
            top = f + d0 + ss2 + wj;
            return Words(d1, Rol(d2, 9), d3, top);
        }
        uint g = b ? (d3 & d2) | (~d3 & d1) : d1 ^ d3 ^ d2;
        uint t = g + d0 + W(n, 3) + wj;
        top = t ^ Rol(t, 9) ^ Rol(t, 17);
        return Words(d1, Rol(d2, 19), d3, top);
    }

    /// <summary>SM3PARTW1: first half of the message expansion.</summary>
    [PureHelper]
    public static Vector128<byte> Sm3PartW1(Vector128<byte> d, Vector128<byte> n, Vector128<byte> m)
    {
        var x = d ^ n;
        Span<uint> r = stackalloc uint[4];
        for (int i = 0; i < 3; i++) r[i] = W(x, i) ^ Rol(W(m, i + 1), 15);
        for (int i = 0; i < 4; i++)
        {
            // The top word uses the already permuted bottom word.
            if (i == 3) r[3] = W(x, 3) ^ Rol(r[0], 15);
            r[i] = r[i] ^ Rol(r[i], 15) ^ Rol(r[i], 23);
        }
        return Words(r[0], r[1], r[2], r[3]);
    }

    /// <summary>SM3PARTW2: second half of the message expansion.</summary>
    [PureHelper]
    public static Vector128<byte> Sm3PartW2(Vector128<byte> d, Vector128<byte> n, Vector128<byte> m)
    {
        Span<uint> tmp = stackalloc uint[4];
        for (int i = 0; i < 4; i++) tmp[i] = W(n, i) ^ Rol(W(m, i), 7);
        uint t2 = Rol(tmp[0], 15);
        t2 = t2 ^ Rol(t2, 15) ^ Rol(t2, 23);
        return Words(W(d, 0) ^ tmp[0], W(d, 1) ^ tmp[1], W(d, 2) ^ tmp[2], W(d, 3) ^ tmp[3] ^ t2);
    }

    private static uint Tau(uint x) =>
        Sm4SBox[x & 0xff] | ((uint)Sm4SBox[(x >> 8) & 0xff] << 8) | ((uint)Sm4SBox[(x >> 16) & 0xff] << 16) | ((uint)Sm4SBox[x >> 24] << 24);

    // Four SM4 rounds on state s with the four keys (or key-schedule constants) in k; key = the key-schedule L'.
    private static Vector128<byte> Sm4Rounds(Vector128<byte> s, Vector128<byte> k, bool keySchedule)
    {
        uint s0 = W(s, 0), s1 = W(s, 1), s2 = W(s, 2), s3 = W(s, 3);
        for (int i = 0; i < 4; i++)
        {
            uint t = Tau(s3 ^ s2 ^ s1 ^ W(k, i));
            t = keySchedule ? t ^ Rol(t, 13) ^ Rol(t, 23) : t ^ Rol(t, 2) ^ Rol(t, 10) ^ Rol(t, 18) ^ Rol(t, 24);
            t ^= s0;
            (s0, s1, s2, s3) = (s1, s2, s3, t);
        }
        return Words(s0, s1, s2, s3);
    }

    /// <summary>SM4E: four encryption rounds of the state in Vd with the round keys in Vn.</summary>
    [PureHelper]
    public static Vector128<byte> Sm4E(Vector128<byte> d, Vector128<byte> n) => Sm4Rounds(d, n, false);

    /// <summary>SM4EKEY: four key-schedule rounds of the keys in Vn with the constants CK in Vm.</summary>
    [PureHelper]
    public static Vector128<byte> Sm4EKey(Vector128<byte> n, Vector128<byte> m) => Sm4Rounds(n, m, true);
}
