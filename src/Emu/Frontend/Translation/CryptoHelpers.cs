using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Emu.IR;

namespace Emu.Frontend.Translation;

/// <summary>
/// The cryptographic extension operations (AES, SHA1, SHA256, SHA512, SHA3, PMULL.1Q, CRC32) called
/// from IR. Each follows the ARM ARM pseudocode; host AES-NI, PCLMULQDQ and SSE4.2 are used when present,
/// with portable software versions (also public, so tests can exercise both).
/// </summary>
public static class CryptoHelpers
{
    // ---- AES ----

    private static readonly byte[] SBox = new byte[256];
    private static readonly byte[] InvSBox = new byte[256];

    static CryptoHelpers()
    {
        // S-box from its definition: multiplicative inverse in GF(2^8), then the affine transform.
        for (int x = 0; x < 256; x++)
        {
            byte inv = 0;
            if (x != 0)
                for (int y = 1; y < 256; y++)
                    if (GfMul((byte)x, (byte)y) == 1)
                    {
                        inv = (byte)y;
                        break;
                    }
            int s = inv ^ Rol8(inv, 1) ^ Rol8(inv, 2) ^ Rol8(inv, 3) ^ Rol8(inv, 4) ^ 0x63;
            SBox[x] = (byte)s;
            InvSBox[(byte)s] = (byte)x;
        }
        for (int i = 0; i < 256; i++)
        {
            uint c = (uint)i, cc = (uint)i;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? (c >> 1) ^ 0xEDB88320u : c >> 1;
                cc = (cc & 1) != 0 ? (cc >> 1) ^ 0x82F63B78u : cc >> 1;
            }
            Crc32Table[i] = c;
            Crc32CTable[i] = cc;
        }
        // Slice k: the CRC of byte i followed by k zero bytes.
        for (int i = 0; i < 256; i++)
        {
            uint c = Crc32Table[i];
            Crc32Slices[i] = c;
            for (int k = 1; k < 8; k++)
            {
                c = Crc32Table[(byte)c] ^ (c >> 8);
                Crc32Slices[k * 256 + i] = c;
            }
        }
    }

    private static int Rol8(byte v, int n) => ((v << n) | (v >> (8 - n))) & 0xFF;

    private static byte GfMul(byte a, byte b)
    {
        int r = 0, x = a;
        for (int i = 0; i < 8; i++)
        {
            if ((b & (1 << i)) != 0) r ^= x;
            x <<= 1;
            if ((x & 0x100) != 0) x ^= 0x11B;
        }
        return (byte)r;
    }

    // State byte i is row i%4, column i/4 (FIPS-197 order), for both ARM and x86.
    private static Vector128<byte> ShiftRows(Vector128<byte> s, bool inverse)
    {
        Span<byte> r = stackalloc byte[16];
        for (int i = 0; i < 16; i++)
        {
            int row = i & 3, col = i >> 2;
            int src = inverse ? ((col - row) & 3) : ((col + row) & 3);
            r[i] = s.GetElement(src * 4 + row);
        }
        return Vector128.Create((ReadOnlySpan<byte>)r);
    }

    private static Vector128<byte> SubBytes(Vector128<byte> s, byte[] box)
    {
        Span<byte> r = stackalloc byte[16];
        for (int i = 0; i < 16; i++) r[i] = box[s.GetElement(i)];
        return Vector128.Create((ReadOnlySpan<byte>)r);
    }

    private static Vector128<byte> MixColumns(Vector128<byte> s, bool inverse)
    {
        Span<byte> r = stackalloc byte[16];
        byte c0 = inverse ? (byte)14 : (byte)2, c1 = inverse ? (byte)11 : (byte)3, c2 = inverse ? (byte)13 : (byte)1, c3 = inverse ? (byte)9 : (byte)1;
        for (int col = 0; col < 4; col++)
        {
            byte a0 = s.GetElement(col * 4), a1 = s.GetElement(col * 4 + 1), a2 = s.GetElement(col * 4 + 2), a3 = s.GetElement(col * 4 + 3);
            r[col * 4] = (byte)(GfMul(a0, c0) ^ GfMul(a1, c1) ^ GfMul(a2, c2) ^ GfMul(a3, c3));
            r[col * 4 + 1] = (byte)(GfMul(a0, c3) ^ GfMul(a1, c0) ^ GfMul(a2, c1) ^ GfMul(a3, c2));
            r[col * 4 + 2] = (byte)(GfMul(a0, c2) ^ GfMul(a1, c3) ^ GfMul(a2, c0) ^ GfMul(a3, c1));
            r[col * 4 + 3] = (byte)(GfMul(a0, c1) ^ GfMul(a1, c2) ^ GfMul(a2, c3) ^ GfMul(a3, c0));
        }
        return Vector128.Create((ReadOnlySpan<byte>)r);
    }

    public static Vector128<byte> AeseSoftware(Vector128<byte> d, Vector128<byte> n) => SubBytes(ShiftRows(d ^ n, false), SBox);
    public static Vector128<byte> AesdSoftware(Vector128<byte> d, Vector128<byte> n) => SubBytes(ShiftRows(d ^ n, true), InvSBox);
    public static Vector128<byte> AesmcSoftware(Vector128<byte> n) => MixColumns(n, false);
    public static Vector128<byte> AesimcSoftware(Vector128<byte> n) => MixColumns(n, true);

    /// <summary>AESE: AddRoundKey, then ShiftRows and SubBytes (x86 AESENCLAST with a zero key does the last two).</summary>
    [PureHelper]
    public static Vector128<byte> Aese(Vector128<byte> d, Vector128<byte> n) =>
        Aes.IsSupported ? Aes.EncryptLast(d ^ n, Vector128<byte>.Zero) : AeseSoftware(d, n);

    [PureHelper]
    public static Vector128<byte> Aesd(Vector128<byte> d, Vector128<byte> n) =>
        Aes.IsSupported ? Aes.DecryptLast(d ^ n, Vector128<byte>.Zero) : AesdSoftware(d, n);

    /// <summary>AESMC: MixColumns alone. x86 has no such op: undo ShiftRows+SubBytes (AESDECLAST) before AESENC redoes them.</summary>
    [PureHelper]
    public static Vector128<byte> Aesmc(Vector128<byte> n) =>
        Aes.IsSupported ? Aes.Encrypt(Aes.DecryptLast(n, Vector128<byte>.Zero), Vector128<byte>.Zero) : AesmcSoftware(n);

    [PureHelper]
    public static Vector128<byte> Aesimc(Vector128<byte> n) =>
        Aes.IsSupported ? Aes.InverseMixColumns(n) : AesimcSoftware(n);

    // ---- SHA1 / SHA256 ----

    private static uint Choose(uint x, uint y, uint z) => ((y ^ z) & x) ^ z;
    private static uint Parity(uint x, uint y, uint z) => x ^ y ^ z;
    private static uint Majority(uint x, uint y, uint z) => (x & y) | ((x | y) & z);

    private static Vector128<byte> Words(uint w0, uint w1, uint w2, uint w3) => Vector128.Create(w0, w1, w2, w3).AsByte();

    /// <summary>SHA1C/SHA1P/SHA1M: four rounds on hash state <paramref name="d"/>, E in the low word of <paramref name="n"/>, schedule <paramref name="m"/>; kind 0=C, 1=P, 2=M.</summary>
    [PureHelper]
    public static Vector128<byte> Sha1Hash(Vector128<byte> d, Vector128<byte> n, Vector128<byte> m, ulong kind)
    {
        var xv = d.AsUInt32();
        uint x0 = xv[0], x1 = xv[1], x2 = xv[2], x3 = xv[3];
        uint y = n.AsUInt32()[0];
        var w = m.AsUInt32();
        for (int e = 0; e < 4; e++)
        {
            uint t = kind switch
            {
                0 => Choose(x1, x2, x3),
                1 => Parity(x1, x2, x3),
                _ => Majority(x1, x2, x3),
            };
            y = y + BitOperations.RotateLeft(x0, 5) + t + w[e];
            x1 = BitOperations.RotateLeft(x1, 30);
            // <Y, X> = ROL(Y:X, 32)
            uint newY = x3;
            x3 = x2;
            x2 = x1;
            x1 = x0;
            x0 = y;
            y = newY;
        }
        return Words(x0, x1, x2, x3);
    }

    [PureHelper]
    public static Vector128<byte> Sha1H(Vector128<byte> n) => Words(BitOperations.RotateLeft(n.AsUInt32()[0], 30), 0, 0, 0);

    [PureHelper]
    public static Vector128<byte> Sha1Su0(Vector128<byte> d, Vector128<byte> n, Vector128<byte> m)
    {
        var r = Vector128.Create(d.AsUInt64()[1], n.AsUInt64()[0]).AsByte();
        return r ^ d ^ m;
    }

    [PureHelper]
    public static Vector128<byte> Sha1Su1(Vector128<byte> d, Vector128<byte> n)
    {
        var x = d.AsUInt32();
        var y = n.AsUInt32();
        uint t0 = x[0] ^ y[1], t1 = x[1] ^ y[2], t2 = x[2] ^ y[3], t3 = x[3];
        uint r0 = BitOperations.RotateLeft(t0, 1);
        return Words(r0, BitOperations.RotateLeft(t1, 1), BitOperations.RotateLeft(t2, 1), BitOperations.RotateLeft(t3, 1) ^ BitOperations.RotateLeft(t0, 2));
    }

    private static uint Sigma0(uint x) => BitOperations.RotateRight(x, 2) ^ BitOperations.RotateRight(x, 13) ^ BitOperations.RotateRight(x, 22);
    private static uint Sigma1(uint x) => BitOperations.RotateRight(x, 6) ^ BitOperations.RotateRight(x, 11) ^ BitOperations.RotateRight(x, 25);

    /// <summary>SHA256H (part1: returns the new ABCD) and SHA256H2 (returns the new EFGH); x = ABCD, y = EFGH.</summary>
    private static Vector128<byte> Sha256Hash(Vector128<byte> xIn, Vector128<byte> yIn, Vector128<byte> wIn, bool part1)
    {
        Span<uint> x = stackalloc uint[4];
        Span<uint> y = stackalloc uint[4];
        for (int i = 0; i < 4; i++)
        {
            x[i] = xIn.AsUInt32()[i];
            y[i] = yIn.AsUInt32()[i];
        }
        var w = wIn.AsUInt32();
        for (int e = 0; e < 4; e++)
        {
            uint chs = Choose(y[0], y[1], y[2]);
            uint maj = Majority(x[0], x[1], x[2]);
            uint t = y[3] + Sigma1(y[0]) + chs + w[e];
            x[3] = t + x[3];
            y[3] = t + Sigma0(x[0]) + maj;
            // <Y, X> = ROL(Y:X, 32)
            uint yTop = y[3], xTop = x[3];
            y[3] = y[2];
            y[2] = y[1];
            y[1] = y[0];
            y[0] = xTop;
            x[3] = x[2];
            x[2] = x[1];
            x[1] = x[0];
            x[0] = yTop;
        }
        return part1 ? Words(x[0], x[1], x[2], x[3]) : Words(y[0], y[1], y[2], y[3]);
    }

    [PureHelper]
    public static Vector128<byte> Sha256H(Vector128<byte> d, Vector128<byte> n, Vector128<byte> m) => Sha256Hash(d, n, m, true);

    [PureHelper]
    public static Vector128<byte> Sha256H2(Vector128<byte> d, Vector128<byte> n, Vector128<byte> m) => Sha256Hash(n, d, m, false);

    [PureHelper]
    public static Vector128<byte> Sha256Su0(Vector128<byte> d, Vector128<byte> n)
    {
        var op1 = d.AsUInt32();
        uint[] t = [op1[1], op1[2], op1[3], n.AsUInt32()[0]];
        Span<uint> r = stackalloc uint[4];
        for (int e = 0; e < 4; e++)
            r[e] = (BitOperations.RotateRight(t[e], 7) ^ BitOperations.RotateRight(t[e], 18) ^ (t[e] >> 3)) + op1[e];
        return Words(r[0], r[1], r[2], r[3]);
    }

    private static uint SchedSigma1(uint x) => BitOperations.RotateRight(x, 17) ^ BitOperations.RotateRight(x, 19) ^ (x >> 10);

    [PureHelper]
    public static Vector128<byte> Sha256Su1(Vector128<byte> d, Vector128<byte> n, Vector128<byte> m)
    {
        var op1 = d.AsUInt32();
        var op2 = n.AsUInt32();
        var op3 = m.AsUInt32();
        uint[] t0 = [op2[1], op2[2], op2[3], op3[0]];
        uint r0 = SchedSigma1(op3[2]) + op1[0] + t0[0];
        uint r1 = SchedSigma1(op3[3]) + op1[1] + t0[1];
        uint r2 = SchedSigma1(r0) + op1[2] + t0[2];
        uint r3 = SchedSigma1(r1) + op1[3] + t0[3];
        return Words(r0, r1, r2, r3);
    }

    // ---- SHA512 ----

    private static ulong Ror(ulong x, int n) => BitOperations.RotateRight(x, n);

    [PureHelper]
    public static Vector128<byte> Sha512H(Vector128<byte> d, Vector128<byte> n, Vector128<byte> m)
    {
        ulong x0 = n.AsUInt64()[0], x1 = n.AsUInt64()[1];
        ulong y0 = m.AsUInt64()[0], y1 = m.AsUInt64()[1];
        ulong w0 = d.AsUInt64()[0], w1 = d.AsUInt64()[1];
        ulong sigma1 = Ror(y1, 14) ^ Ror(y1, 18) ^ Ror(y1, 41);
        ulong hi = ((y1 & x0) ^ (~y1 & x1)) + sigma1 + w1;
        ulong tmp = hi + y0;
        sigma1 = Ror(tmp, 14) ^ Ror(tmp, 18) ^ Ror(tmp, 41);
        ulong lo = ((tmp & y1) ^ (~tmp & x0)) + sigma1 + w0;
        return Vector128.Create(lo, hi).AsByte();
    }

    [PureHelper]
    public static Vector128<byte> Sha512H2(Vector128<byte> d, Vector128<byte> n, Vector128<byte> m)
    {
        ulong x0 = n.AsUInt64()[0];
        ulong y0 = m.AsUInt64()[0], y1 = m.AsUInt64()[1];
        ulong w0 = d.AsUInt64()[0], w1 = d.AsUInt64()[1];
        ulong sigma0 = Ror(y0, 28) ^ Ror(y0, 34) ^ Ror(y0, 39);
        ulong hi = ((x0 & y1) ^ (x0 & y0) ^ (y1 & y0)) + sigma0 + w1;
        sigma0 = Ror(hi, 28) ^ Ror(hi, 34) ^ Ror(hi, 39);
        ulong lo = ((hi & y0) ^ (hi & y1) ^ (y1 & y0)) + sigma0 + w0;
        return Vector128.Create(lo, hi).AsByte();
    }

    [PureHelper]
    public static Vector128<byte> Sha512Su0(Vector128<byte> d, Vector128<byte> n)
    {
        ulong w0 = d.AsUInt64()[0], w1 = d.AsUInt64()[1], x0 = n.AsUInt64()[0];
        ulong lo = w0 + (Ror(w1, 1) ^ Ror(w1, 8) ^ (w1 >> 7));
        ulong hi = w1 + (Ror(x0, 1) ^ Ror(x0, 8) ^ (x0 >> 7));
        return Vector128.Create(lo, hi).AsByte();
    }

    [PureHelper]
    public static Vector128<byte> Sha512Su1(Vector128<byte> d, Vector128<byte> n, Vector128<byte> m)
    {
        ulong w0 = d.AsUInt64()[0], w1 = d.AsUInt64()[1];
        ulong x0 = n.AsUInt64()[0], x1 = n.AsUInt64()[1];
        ulong y0 = m.AsUInt64()[0], y1 = m.AsUInt64()[1];
        ulong hi = w1 + (Ror(x1, 19) ^ Ror(x1, 61) ^ (x1 >> 6)) + y1;
        ulong lo = w0 + (Ror(x0, 19) ^ Ror(x0, 61) ^ (x0 >> 6)) + y0;
        return Vector128.Create(lo, hi).AsByte();
    }

    // ---- SHA3 ----

    [PureHelper]
    public static Vector128<byte> Eor3(Vector128<byte> n, Vector128<byte> m, Vector128<byte> a) => n ^ m ^ a;

    [PureHelper]
    public static Vector128<byte> Bcax(Vector128<byte> n, Vector128<byte> m, Vector128<byte> a) => n ^ (m & ~a);

    [PureHelper]
    public static Vector128<byte> Rax1(Vector128<byte> n, Vector128<byte> m)
    {
        var mm = m.AsUInt64();
        return (n.AsUInt64() ^ Vector128.Create(BitOperations.RotateLeft(mm[0], 1), BitOperations.RotateLeft(mm[1], 1))).AsByte();
    }

    [PureHelper]
    public static Vector128<byte> Xar(Vector128<byte> n, Vector128<byte> m, ulong rotate)
    {
        var t = (n ^ m).AsUInt64();
        return Vector128.Create(Ror(t[0], (int)rotate), Ror(t[1], (int)rotate)).AsByte();
    }

    // ---- PMULL.1Q ----

    public static Vector128<byte> ClmulSoftware(ulong a, ulong b)
    {
        ulong lo = 0, hi = 0;
        for (int i = 0; i < 64; i++)
            if ((b >> i & 1) != 0)
            {
                lo ^= a << i;
                if (i != 0) hi ^= a >> (64 - i);
            }
        return Vector128.Create(lo, hi).AsByte();
    }

    /// <summary>PMULL/PMULL2 .1Q: the 128-bit carry-less product of 64-bit lane <paramref name="half"/> of n and m.</summary>
    [PureHelper]
    public static Vector128<byte> Pmull64(Vector128<byte> n, Vector128<byte> m, ulong half)
    {
        if (Pclmulqdq.IsSupported)
        {
            return half == 0
                ? Pclmulqdq.CarrylessMultiply(n.AsUInt64(), m.AsUInt64(), 0x00).AsByte()
                : Pclmulqdq.CarrylessMultiply(n.AsUInt64(), m.AsUInt64(), 0x11).AsByte();
        }
        return ClmulSoftware(n.AsUInt64()[(int)half], m.AsUInt64()[(int)half]);
    }

    // ---- CRC32 ----

    private static readonly uint[] Crc32Table = new uint[256];
    private static readonly uint[] Crc32CTable = new uint[256];

    public static uint CrcSoftware(uint crc, ulong data, int bytes, bool castagnoli)
    {
        var table = castagnoli ? Crc32CTable : Crc32Table;
        for (int i = 0; i < bytes; i++)
            crc = table[(byte)(crc ^ (uint)(data >> (8 * i)))] ^ (crc >> 8);
        return crc;
    }

    /// <summary>CRC32B/H/W/X: the ISO-HDLC polynomial (reflected 0xEDB88320), no pre/post inversion, as the instruction defines.</summary>
    [PureHelper]
    public static ulong Crc32(ulong crc, ulong data, ulong bytes)
    {
        // x86 has no instruction for this polynomial. CRC32W/X (7-Zip's and zlib's loops) by slices: one
        // table lookup per byte, all independent, instead of a chain of dependent ones.
        var t = Crc32Slices;
        if (bytes == 8)
        {
            uint lo = (uint)crc ^ (uint)data, hi = (uint)(data >> 32);
            return t[7 * 256 + (byte)lo] ^ t[6 * 256 + (byte)(lo >> 8)] ^ t[5 * 256 + (byte)(lo >> 16)] ^ t[4 * 256 + (lo >> 24)]
                ^ t[3 * 256 + (byte)hi] ^ t[2 * 256 + (byte)(hi >> 8)] ^ t[256 + (byte)(hi >> 16)] ^ t[hi >> 24];
        }
        if (bytes == 4)
        {
            uint x = (uint)crc ^ (uint)data;
            return t[3 * 256 + (byte)x] ^ t[2 * 256 + (byte)(x >> 8)] ^ t[256 + (byte)(x >> 16)] ^ t[x >> 24];
        }
        return CrcSoftware((uint)crc, data, (int)bytes, false);
    }

    /// <summary>CRC32 tables for 8 bytes at a time: slice k at [k * 256].</summary>
    private static readonly uint[] Crc32Slices = new uint[8 * 256];

    /// <summary>CRC32CB/CH/CW/CX (Castagnoli): the SSE4.2 CRC32 instruction computes exactly this.</summary>
    [PureHelper]
    public static ulong Crc32C(ulong crc, ulong data, ulong bytes)
    {
        if (Sse42.X64.IsSupported)
        {
            return bytes switch
            {
                1 => Sse42.Crc32((uint)crc, (byte)data),
                2 => Sse42.Crc32((uint)crc, (ushort)data),
                4 => Sse42.Crc32((uint)crc, (uint)data),
                _ => (uint)Sse42.X64.Crc32(crc & 0xFFFFFFFF, data),
            };
        }
        return CrcSoftware((uint)crc, data, (int)bytes, true);
    }
}
