using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Emu.Jit;

/// <summary>Guest memory accesses on an already-confined host address (both tiers use these).</summary>
public static unsafe class MemoryHelpers
{
    private const MethodImplOptions Inline = MethodImplOptions.AggressiveInlining;

    [MethodImpl(Inline)]
    public static ulong Load(byte* p, int bytes) => bytes switch
    {
        1 => *p,
        2 => Unsafe.ReadUnaligned<ushort>(p),
        4 => Unsafe.ReadUnaligned<uint>(p),
        _ => Unsafe.ReadUnaligned<ulong>(p),
    };

    [MethodImpl(Inline)]
    public static void Store(byte* p, ulong value, int bytes)
    {
        switch (bytes)
        {
            case 1: *p = (byte)value; break;
            case 2: Unsafe.WriteUnaligned(p, (ushort)value); break;
            case 4: Unsafe.WriteUnaligned(p, (uint)value); break;
            default: Unsafe.WriteUnaligned(p, value); break;
        }
    }

    [MethodImpl(Inline)]
    public static Vector128<byte> LoadVec(byte* p, int bytes) => bytes switch
    {
        1 => Vector128.CreateScalar(*p),
        2 => Vector128.CreateScalar(Unsafe.ReadUnaligned<ushort>(p)).AsByte(),
        4 => Vector128.CreateScalar(Unsafe.ReadUnaligned<uint>(p)).AsByte(),
        8 => Vector128.CreateScalar(Unsafe.ReadUnaligned<ulong>(p)).AsByte(),
        _ => Unsafe.ReadUnaligned<Vector128<byte>>(p),
    };

    [MethodImpl(Inline)]
    public static void StoreVec(byte* p, Vector128<byte> value, int bytes)
    {
        switch (bytes)
        {
            case 1: *p = value.ToScalar(); break;
            case 2: Unsafe.WriteUnaligned(p, value.AsUInt16().ToScalar()); break;
            case 4: Unsafe.WriteUnaligned(p, value.AsUInt32().ToScalar()); break;
            case 8: Unsafe.WriteUnaligned(p, value.AsUInt64().ToScalar()); break;
            default: Unsafe.WriteUnaligned(p, value); break;
        }
    }

    // Fixed-size forms for Tier 1, which knows the size when it compiles.
    [MethodImpl(Inline)] public static Vector128<byte> LoadVec1(byte* p) => LoadVec(p, 1);
    [MethodImpl(Inline)] public static Vector128<byte> LoadVec2(byte* p) => LoadVec(p, 2);
    [MethodImpl(Inline)] public static Vector128<byte> LoadVec4(byte* p) => LoadVec(p, 4);
    [MethodImpl(Inline)] public static Vector128<byte> LoadVec8(byte* p) => LoadVec(p, 8);
    [MethodImpl(Inline)] public static Vector128<byte> LoadVec16(byte* p) => LoadVec(p, 16);
    [MethodImpl(Inline)] public static void StoreVec1(byte* p, Vector128<byte> v) => StoreVec(p, v, 1);
    [MethodImpl(Inline)] public static void StoreVec2(byte* p, Vector128<byte> v) => StoreVec(p, v, 2);
    [MethodImpl(Inline)] public static void StoreVec4(byte* p, Vector128<byte> v) => StoreVec(p, v, 4);
    [MethodImpl(Inline)] public static void StoreVec8(byte* p, Vector128<byte> v) => StoreVec(p, v, 8);
    [MethodImpl(Inline)] public static void StoreVec16(byte* p, Vector128<byte> v) => StoreVec(p, v, 16);
}
