using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Emu.Cpu;
using Emu.FloatingPoint;

namespace Emu.Frontend.Translation;

/// <summary>
/// Split forms of the guarded FP helpers (<see cref="FloatingPoint.FpScalarFast"/>, <see cref="SimdFloatHelpers"/>)
/// for Tier 1: <c>{Type}{Method}Host</c> is the host operation alone and <c>{Type}{Method}Ok</c> (the block's
/// FPCR/FPSR test, the host result, the same arguments) says whether that result is the ARM one, with the
/// same test as the guarded form. Tier 1 branches to the exact helper out of line when it is not, so no call
/// sits on the hot path: a call clobbers every host vector register, and RyuJIT then keeps the block's FP
/// values in stack slots instead of registers.
/// </summary>
public static unsafe class SimdFpInlineHelpers
{
    private const MethodImplOptions Inline = MethodImplOptions.AggressiveInlining, NoInline = MethodImplOptions.NoInlining;

    private const ulong ExpMask64 = 0x7FF0000000000000, ExpMask32 = 0x7F800000;

    // Exponent range tests: finite, and for ops that can underflow FpScalarFast's own finite-and-not-tiny test.
    [MethodImpl(Inline)]
    private static bool Finite64(ulong r) => (r & ExpMask64) != ExpMask64;

    [MethodImpl(Inline)]
    private static bool Finite32(ulong r) => (r & ExpMask32) != ExpMask32;

    [MethodImpl(Inline)]
    private static bool Normal64(ulong r) => FpScalarFast.FiniteNotTiny64(r);

    [MethodImpl(Inline)]
    private static bool Normal32(ulong r) => FpScalarFast.FiniteNotTiny32(r);

    [MethodImpl(Inline)]
    private static double D(ulong bits) => BitConverter.UInt64BitsToDouble(bits);

    [MethodImpl(Inline)]
    private static float S(ulong bits) => BitConverter.UInt32BitsToSingle((uint)bits);

    [MethodImpl(Inline)]
    private static ulong Bits(double d) => BitConverter.DoubleToUInt64Bits(d);

    [MethodImpl(Inline)]
    private static ulong Bits(float f) => BitConverter.SingleToUInt32Bits(f);

    // ---- scalar (FpScalarFast) ----

    [MethodImpl(Inline)] public static ulong FpScalarFastFAdd64Host(ulong a, ulong b) => Bits(D(a) + D(b));
    [MethodImpl(Inline)] public static bool FpScalarFastFAdd64Ok(ulong fast, ulong r, ulong a, ulong b) => (fast != 0) & Finite64(r);
    [MethodImpl(Inline)] public static ulong FpScalarFastFAdd32Host(ulong a, ulong b) => Bits(S(a) + S(b));
    [MethodImpl(Inline)] public static bool FpScalarFastFAdd32Ok(ulong fast, ulong r, ulong a, ulong b) => (fast != 0) & Finite32(r);
    [MethodImpl(Inline)] public static ulong FpScalarFastFSub64Host(ulong a, ulong b) => Bits(D(a) - D(b));
    [MethodImpl(Inline)] public static bool FpScalarFastFSub64Ok(ulong fast, ulong r, ulong a, ulong b) => (fast != 0) & Finite64(r);
    [MethodImpl(Inline)] public static ulong FpScalarFastFSub32Host(ulong a, ulong b) => Bits(S(a) - S(b));
    [MethodImpl(Inline)] public static bool FpScalarFastFSub32Ok(ulong fast, ulong r, ulong a, ulong b) => (fast != 0) & Finite32(r);
    [MethodImpl(Inline)] public static ulong FpScalarFastFMul64Host(ulong a, ulong b) => Bits(D(a) * D(b));
    [MethodImpl(Inline)] public static bool FpScalarFastFMul64Ok(ulong fast, ulong r, ulong a, ulong b) => (fast != 0) & Normal64(r);
    [MethodImpl(Inline)] public static ulong FpScalarFastFMul32Host(ulong a, ulong b) => Bits(S(a) * S(b));
    [MethodImpl(Inline)] public static bool FpScalarFastFMul32Ok(ulong fast, ulong r, ulong a, ulong b) => (fast != 0) & Normal32(r);
    [MethodImpl(Inline)] public static ulong FpScalarFastFNMul64Host(ulong a, ulong b) => Bits(-(D(a) * D(b)));
    [MethodImpl(Inline)] public static bool FpScalarFastFNMul64Ok(ulong fast, ulong r, ulong a, ulong b) => (fast != 0) & Normal64(r);
    [MethodImpl(Inline)] public static ulong FpScalarFastFNMul32Host(ulong a, ulong b) => Bits(-(S(a) * S(b)));
    [MethodImpl(Inline)] public static bool FpScalarFastFNMul32Ok(ulong fast, ulong r, ulong a, ulong b) => (fast != 0) & Normal32(r);
    [MethodImpl(Inline)] public static ulong FpScalarFastFDiv64Host(ulong a, ulong b) => Bits(D(a) / D(b));
    [MethodImpl(Inline)] public static bool FpScalarFastFDiv64Ok(ulong fast, ulong r, ulong a, ulong b) => (fast != 0) & Normal64(r);
    [MethodImpl(Inline)] public static ulong FpScalarFastFDiv32Host(ulong a, ulong b) => Bits(S(a) / S(b));
    [MethodImpl(Inline)] public static bool FpScalarFastFDiv32Ok(ulong fast, ulong r, ulong a, ulong b) => (fast != 0) & Normal32(r);
    [MethodImpl(Inline)] public static ulong FpScalarFastFSqrt64Host(ulong a) => Bits(Math.Sqrt(D(a)));
    [MethodImpl(Inline)] public static bool FpScalarFastFSqrt64Ok(ulong fast, ulong r, ulong a) => (fast != 0) & Finite64(r);
    [MethodImpl(Inline)] public static ulong FpScalarFastFSqrt32Host(ulong a) => Bits(MathF.Sqrt(S(a)));
    [MethodImpl(Inline)] public static bool FpScalarFastFSqrt32Ok(ulong fast, ulong r, ulong a) => (fast != 0) & Finite32(r);
    [MethodImpl(Inline)] public static ulong FpScalarFastFCvtDoubleToSingleHost(ulong a) => Bits((float)D(a));
    [MethodImpl(Inline)] public static bool FpScalarFastFCvtDoubleToSingleOk(ulong fast, ulong r, ulong a) => (fast != 0) & Normal32(r);

    [MethodImpl(Inline)]
    public static ulong FpScalarFastFMulAdd64Host(ulong addend, ulong op1, ulong op2, ulong negateAddend, ulong negateOp1)
    {
        double c = D(addend), x = D(op1);
        if (negateAddend != 0) c = -c;
        if (negateOp1 != 0) x = -x;
        return Bits(Math.FusedMultiplyAdd(x, D(op2), c));
    }

    [MethodImpl(Inline)]
    public static bool FpScalarFastFMulAdd64Ok(ulong fast, ulong r, ulong addend, ulong op1, ulong op2, ulong negateAddend, ulong negateOp1) =>
        (fast != 0) & Normal64(r);

    [MethodImpl(Inline)]
    public static ulong FpScalarFastFMulAdd32Host(ulong addend, ulong op1, ulong op2, ulong negateAddend, ulong negateOp1)
    {
        float c = S(addend), x = S(op1);
        if (negateAddend != 0) c = -c;
        if (negateOp1 != 0) x = -x;
        return Bits(MathF.FusedMultiplyAdd(x, S(op2), c));
    }

    [MethodImpl(Inline)]
    public static bool FpScalarFastFMulAdd32Ok(ulong fast, ulong r, ulong addend, ulong op1, ulong op2, ulong negateAddend, ulong negateOp1) =>
        (fast != 0) & Normal32(r);

    // ---- scalar, typed: operands and result in host FP registers (Tier 1 converts to and from IR bits only
    // where a value meets a non-FP use); the same tests on the result's bits ----

    [MethodImpl(Inline)] public static double FpScalarFastFAdd64Typed(double a, double b) => a + b;
    [MethodImpl(Inline)] public static bool FpScalarFastFAdd64TypedOk(ulong fast, double r) => (fast != 0) & Finite64(Bits(r));
    [MethodImpl(Inline)] public static float FpScalarFastFAdd32Typed(float a, float b) => a + b;
    [MethodImpl(Inline)] public static bool FpScalarFastFAdd32TypedOk(ulong fast, float r) => (fast != 0) & Finite32(Bits(r));
    [MethodImpl(Inline)] public static double FpScalarFastFSub64Typed(double a, double b) => a - b;
    [MethodImpl(Inline)] public static bool FpScalarFastFSub64TypedOk(ulong fast, double r) => (fast != 0) & Finite64(Bits(r));
    [MethodImpl(Inline)] public static float FpScalarFastFSub32Typed(float a, float b) => a - b;
    [MethodImpl(Inline)] public static bool FpScalarFastFSub32TypedOk(ulong fast, float r) => (fast != 0) & Finite32(Bits(r));
    [MethodImpl(Inline)] public static double FpScalarFastFMul64Typed(double a, double b) => a * b;
    [MethodImpl(Inline)] public static bool FpScalarFastFMul64TypedOk(ulong fast, double r) => (fast != 0) & Normal64(Bits(r));
    [MethodImpl(Inline)] public static float FpScalarFastFMul32Typed(float a, float b) => a * b;
    [MethodImpl(Inline)] public static bool FpScalarFastFMul32TypedOk(ulong fast, float r) => (fast != 0) & Normal32(Bits(r));
    [MethodImpl(Inline)] public static double FpScalarFastFNMul64Typed(double a, double b) => -(a * b);
    [MethodImpl(Inline)] public static bool FpScalarFastFNMul64TypedOk(ulong fast, double r) => (fast != 0) & Normal64(Bits(r));
    [MethodImpl(Inline)] public static float FpScalarFastFNMul32Typed(float a, float b) => -(a * b);
    [MethodImpl(Inline)] public static bool FpScalarFastFNMul32TypedOk(ulong fast, float r) => (fast != 0) & Normal32(Bits(r));
    [MethodImpl(Inline)] public static double FpScalarFastFDiv64Typed(double a, double b) => a / b;
    [MethodImpl(Inline)] public static bool FpScalarFastFDiv64TypedOk(ulong fast, double r) => (fast != 0) & Normal64(Bits(r));
    [MethodImpl(Inline)] public static float FpScalarFastFDiv32Typed(float a, float b) => a / b;
    [MethodImpl(Inline)] public static bool FpScalarFastFDiv32TypedOk(ulong fast, float r) => (fast != 0) & Normal32(Bits(r));
    [MethodImpl(Inline)] public static double FpScalarFastFSqrt64Typed(double a) => Math.Sqrt(a);
    [MethodImpl(Inline)] public static bool FpScalarFastFSqrt64TypedOk(ulong fast, double r) => (fast != 0) & Finite64(Bits(r));
    [MethodImpl(Inline)] public static float FpScalarFastFSqrt32Typed(float a) => MathF.Sqrt(a);
    [MethodImpl(Inline)] public static bool FpScalarFastFSqrt32TypedOk(ulong fast, float r) => (fast != 0) & Finite32(Bits(r));
    [MethodImpl(Inline)] public static float FpScalarFastFCvtDoubleToSingleTyped(double a) => (float)a;
    [MethodImpl(Inline)] public static bool FpScalarFastFCvtDoubleToSingleTypedOk(ulong fast, float r) => (fast != 0) & Normal32(Bits(r));

    [MethodImpl(Inline)]
    public static double FpScalarFastFMulAdd64Typed(double addend, double op1, double op2, ulong negateAddend, ulong negateOp1) =>
        Math.FusedMultiplyAdd(negateOp1 != 0 ? -op1 : op1, op2, negateAddend != 0 ? -addend : addend);

    [MethodImpl(Inline)] public static bool FpScalarFastFMulAdd64TypedOk(ulong fast, double r) => (fast != 0) & Normal64(Bits(r));

    [MethodImpl(Inline)]
    public static float FpScalarFastFMulAdd32Typed(float addend, float op1, float op2, ulong negateAddend, ulong negateOp1) =>
        MathF.FusedMultiplyAdd(negateOp1 != 0 ? -op1 : op1, op2, negateAddend != 0 ? -addend : addend);

    [MethodImpl(Inline)] public static bool FpScalarFastFMulAdd32TypedOk(ulong fast, float r) => (fast != 0) & Normal32(Bits(r));

    /// <summary>The low double of a vector register (no trip through a general register).</summary>
    [MethodImpl(Inline)] public static double LowDouble(Vector128<byte> v) => v.AsDouble().ToScalar();

    [MethodImpl(Inline)] public static float LowSingle(Vector128<byte> v) => v.AsSingle().ToScalar();

    /// <summary>A vector register holding <paramref name="d"/> in its low 64 bits, zeros above (as FromScalar of its bits).</summary>
    [MethodImpl(Inline)] public static Vector128<byte> FromDouble(double d) => Vector128.CreateScalar(d).AsByte();

    [MethodImpl(Inline)] public static Vector128<byte> FromSingle(float f) => Vector128.CreateScalar(f).AsByte();

    /// <summary>A vector register holding the low 32 bits of <paramref name="x"/>, zeros above (one movd).</summary>
    [MethodImpl(Inline)] public static Vector128<byte> FromLow32(ulong x) => Vector128.CreateScalar((uint)x).AsByte();

    // ---- vector (SimdFloatHelpers): d, a, b, lanes (2 or 4 singles, 1 or 2 doubles; a 64-bit vector zeroes the top half) ----

    [MethodImpl(Inline)]
    private static Vector128<byte> Lanes32(Vector128<float> r, ulong lanes) =>
        lanes == 4 ? r.AsByte() : Vector128.Create(r.AsUInt64().GetElement(0), 0UL).AsByte();

    [MethodImpl(Inline)]
    private static Vector128<byte> Lanes64(Vector128<double> r, ulong lanes) =>
        lanes == 2 ? r.AsByte() : Vector128.Create(r.AsUInt64().GetElement(0), 0UL).AsByte();

    // Every used lane finite and above the smallest normal, as SimdFloatHelpers' Arith32/Arith64 test it.
    [MethodImpl(Inline)]
    private static bool Ok32(ulong fast, Vector128<byte> r, ulong lanes)
    {
        var biased = (r.AsInt32() & Vector128.Create(0x7FFFFFFF)) + Vector128.Create(0x00800000);
        uint need = lanes == 4 ? 0xfu : 0x3u;
        return (fast != 0) & ((Vector128.GreaterThan(biased, Vector128.Create(0x01000000)).ExtractMostSignificantBits() & need) == need);
    }

    [MethodImpl(Inline)]
    private static bool Ok64(ulong fast, Vector128<byte> r, ulong lanes)
    {
        var biased = (r.AsInt64() & Vector128.Create(0x7FFFFFFFFFFFFFFFL)) + Vector128.Create(0x0010000000000000L);
        uint need = lanes == 2 ? 0x3u : 0x1u;
        return (fast != 0) & ((Vector128.GreaterThan(biased, Vector128.Create(0x0020000000000000L)).ExtractMostSignificantBits() & need) == need);
    }

    [MethodImpl(Inline)]
    public static Vector128<byte> SimdFloatHelpersFAdd32Host(Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) => Lanes32(a.AsSingle() + b.AsSingle(), lanes);
    [MethodImpl(Inline)]
    public static Vector128<byte> SimdFloatHelpersFSub32Host(Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) => Lanes32(a.AsSingle() - b.AsSingle(), lanes);
    [MethodImpl(Inline)]
    public static Vector128<byte> SimdFloatHelpersFMul32Host(Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) => Lanes32(a.AsSingle() * b.AsSingle(), lanes);
    [MethodImpl(Inline)]
    public static Vector128<byte> SimdFloatHelpersFDiv32Host(Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) => Lanes32(a.AsSingle() / b.AsSingle(), lanes);
    [MethodImpl(Inline)]
    public static Vector128<byte> SimdFloatHelpersFMla32Host(Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) =>
        Lanes32(Fma.MultiplyAdd(a.AsSingle(), b.AsSingle(), d.AsSingle()), lanes);
    [MethodImpl(Inline)]
    public static Vector128<byte> SimdFloatHelpersFMls32Host(Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) =>
        Lanes32(Fma.MultiplyAddNegated(a.AsSingle(), b.AsSingle(), d.AsSingle()), lanes);

    [MethodImpl(Inline)]
    public static Vector128<byte> SimdFloatHelpersFAdd64Host(Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) => Lanes64(a.AsDouble() + b.AsDouble(), lanes);
    [MethodImpl(Inline)]
    public static Vector128<byte> SimdFloatHelpersFSub64Host(Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) => Lanes64(a.AsDouble() - b.AsDouble(), lanes);
    [MethodImpl(Inline)]
    public static Vector128<byte> SimdFloatHelpersFMul64Host(Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) => Lanes64(a.AsDouble() * b.AsDouble(), lanes);
    [MethodImpl(Inline)]
    public static Vector128<byte> SimdFloatHelpersFDiv64Host(Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) => Lanes64(a.AsDouble() / b.AsDouble(), lanes);
    [MethodImpl(Inline)]
    public static Vector128<byte> SimdFloatHelpersFMla64Host(Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) =>
        Lanes64(Fma.MultiplyAdd(a.AsDouble(), b.AsDouble(), d.AsDouble()), lanes);
    [MethodImpl(Inline)]
    public static Vector128<byte> SimdFloatHelpersFMls64Host(Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) =>
        Lanes64(Fma.MultiplyAddNegated(a.AsDouble(), b.AsDouble(), d.AsDouble()), lanes);

    [MethodImpl(Inline)] public static bool SimdFloatHelpersFAdd32Ok(ulong fast, Vector128<byte> r, Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) => Ok32(fast, r, lanes);
    [MethodImpl(Inline)] public static bool SimdFloatHelpersFSub32Ok(ulong fast, Vector128<byte> r, Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) => Ok32(fast, r, lanes);
    [MethodImpl(Inline)] public static bool SimdFloatHelpersFMul32Ok(ulong fast, Vector128<byte> r, Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) => Ok32(fast, r, lanes);
    [MethodImpl(Inline)] public static bool SimdFloatHelpersFDiv32Ok(ulong fast, Vector128<byte> r, Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) => Ok32(fast, r, lanes);
    [MethodImpl(Inline)] public static bool SimdFloatHelpersFMla32Ok(ulong fast, Vector128<byte> r, Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) => Ok32(fast, r, lanes);
    [MethodImpl(Inline)] public static bool SimdFloatHelpersFMls32Ok(ulong fast, Vector128<byte> r, Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) => Ok32(fast, r, lanes);
    [MethodImpl(Inline)] public static bool SimdFloatHelpersFAdd64Ok(ulong fast, Vector128<byte> r, Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) => Ok64(fast, r, lanes);
    [MethodImpl(Inline)] public static bool SimdFloatHelpersFSub64Ok(ulong fast, Vector128<byte> r, Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) => Ok64(fast, r, lanes);
    [MethodImpl(Inline)] public static bool SimdFloatHelpersFMul64Ok(ulong fast, Vector128<byte> r, Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) => Ok64(fast, r, lanes);
    [MethodImpl(Inline)] public static bool SimdFloatHelpersFDiv64Ok(ulong fast, Vector128<byte> r, Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) => Ok64(fast, r, lanes);
    [MethodImpl(Inline)] public static bool SimdFloatHelpersFMla64Ok(ulong fast, Vector128<byte> r, Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) => Ok64(fast, r, lanes);
    [MethodImpl(Inline)] public static bool SimdFloatHelpersFMls64Ok(ulong fast, Vector128<byte> r, Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) => Ok64(fast, r, lanes);

    // ---- exact paths: the guarded forms told the host path is closed, compiled once (not inlined into every
    // block, where they would only add JIT time to code that rarely runs) ----

    [MethodImpl(NoInline)] public static ulong FpScalarFastFAdd64Exact(CpuContext* ctx, ulong a, ulong b) => FpScalarFast.FAdd64Guarded(ctx, 0, a, b);
    [MethodImpl(NoInline)] public static ulong FpScalarFastFAdd32Exact(CpuContext* ctx, ulong a, ulong b) => FpScalarFast.FAdd32Guarded(ctx, 0, a, b);
    [MethodImpl(NoInline)] public static ulong FpScalarFastFSub64Exact(CpuContext* ctx, ulong a, ulong b) => FpScalarFast.FSub64Guarded(ctx, 0, a, b);
    [MethodImpl(NoInline)] public static ulong FpScalarFastFSub32Exact(CpuContext* ctx, ulong a, ulong b) => FpScalarFast.FSub32Guarded(ctx, 0, a, b);
    [MethodImpl(NoInline)] public static ulong FpScalarFastFMul64Exact(CpuContext* ctx, ulong a, ulong b) => FpScalarFast.FMul64Guarded(ctx, 0, a, b);
    [MethodImpl(NoInline)] public static ulong FpScalarFastFMul32Exact(CpuContext* ctx, ulong a, ulong b) => FpScalarFast.FMul32Guarded(ctx, 0, a, b);
    [MethodImpl(NoInline)] public static ulong FpScalarFastFNMul64Exact(CpuContext* ctx, ulong a, ulong b) => FpScalarFast.FNMul64Guarded(ctx, 0, a, b);
    [MethodImpl(NoInline)] public static ulong FpScalarFastFNMul32Exact(CpuContext* ctx, ulong a, ulong b) => FpScalarFast.FNMul32Guarded(ctx, 0, a, b);
    [MethodImpl(NoInline)] public static ulong FpScalarFastFDiv64Exact(CpuContext* ctx, ulong a, ulong b) => FpScalarFast.FDiv64Guarded(ctx, 0, a, b);
    [MethodImpl(NoInline)] public static ulong FpScalarFastFDiv32Exact(CpuContext* ctx, ulong a, ulong b) => FpScalarFast.FDiv32Guarded(ctx, 0, a, b);
    [MethodImpl(NoInline)] public static ulong FpScalarFastFSqrt64Exact(CpuContext* ctx, ulong a) => FpScalarFast.FSqrt64Guarded(ctx, 0, a);
    [MethodImpl(NoInline)] public static ulong FpScalarFastFSqrt32Exact(CpuContext* ctx, ulong a) => FpScalarFast.FSqrt32Guarded(ctx, 0, a);
    [MethodImpl(NoInline)] public static ulong FpScalarFastFCvtDoubleToSingleExact(CpuContext* ctx, ulong a) => FpScalarFast.FCvtDoubleToSingleGuarded(ctx, 0, a);

    [MethodImpl(NoInline)]
    public static ulong FpScalarFastFMulAdd64Exact(CpuContext* ctx, ulong addend, ulong op1, ulong op2, ulong negateAddend, ulong negateOp1) =>
        FpScalarFast.FMulAdd64Guarded(ctx, 0, addend, op1, op2, negateAddend, negateOp1);

    [MethodImpl(NoInline)]
    public static ulong FpScalarFastFMulAdd32Exact(CpuContext* ctx, ulong addend, ulong op1, ulong op2, ulong negateAddend, ulong negateOp1) =>
        FpScalarFast.FMulAdd32Guarded(ctx, 0, addend, op1, op2, negateAddend, negateOp1);

    [MethodImpl(NoInline)]
    public static Vector128<byte> SimdFloatHelpersFAdd32Exact(CpuContext* ctx, Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) =>
        SimdFloatHelpers.FAdd32Guarded(ctx, 0, d, a, b, lanes);

    [MethodImpl(NoInline)]
    public static Vector128<byte> SimdFloatHelpersFAdd64Exact(CpuContext* ctx, Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) =>
        SimdFloatHelpers.FAdd64Guarded(ctx, 0, d, a, b, lanes);

    [MethodImpl(NoInline)]
    public static Vector128<byte> SimdFloatHelpersFSub32Exact(CpuContext* ctx, Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) =>
        SimdFloatHelpers.FSub32Guarded(ctx, 0, d, a, b, lanes);

    [MethodImpl(NoInline)]
    public static Vector128<byte> SimdFloatHelpersFSub64Exact(CpuContext* ctx, Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) =>
        SimdFloatHelpers.FSub64Guarded(ctx, 0, d, a, b, lanes);

    [MethodImpl(NoInline)]
    public static Vector128<byte> SimdFloatHelpersFMul32Exact(CpuContext* ctx, Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) =>
        SimdFloatHelpers.FMul32Guarded(ctx, 0, d, a, b, lanes);

    [MethodImpl(NoInline)]
    public static Vector128<byte> SimdFloatHelpersFMul64Exact(CpuContext* ctx, Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) =>
        SimdFloatHelpers.FMul64Guarded(ctx, 0, d, a, b, lanes);

    [MethodImpl(NoInline)]
    public static Vector128<byte> SimdFloatHelpersFDiv32Exact(CpuContext* ctx, Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) =>
        SimdFloatHelpers.FDiv32Guarded(ctx, 0, d, a, b, lanes);

    [MethodImpl(NoInline)]
    public static Vector128<byte> SimdFloatHelpersFDiv64Exact(CpuContext* ctx, Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) =>
        SimdFloatHelpers.FDiv64Guarded(ctx, 0, d, a, b, lanes);

    [MethodImpl(NoInline)]
    public static Vector128<byte> SimdFloatHelpersFMla32Exact(CpuContext* ctx, Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) =>
        SimdFloatHelpers.FMla32Guarded(ctx, 0, d, a, b, lanes);

    [MethodImpl(NoInline)]
    public static Vector128<byte> SimdFloatHelpersFMla64Exact(CpuContext* ctx, Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) =>
        SimdFloatHelpers.FMla64Guarded(ctx, 0, d, a, b, lanes);

    [MethodImpl(NoInline)]
    public static Vector128<byte> SimdFloatHelpersFMls32Exact(CpuContext* ctx, Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) =>
        SimdFloatHelpers.FMls32Guarded(ctx, 0, d, a, b, lanes);

    [MethodImpl(NoInline)]
    public static Vector128<byte> SimdFloatHelpersFMls64Exact(CpuContext* ctx, Vector128<byte> d, Vector128<byte> a, Vector128<byte> b, ulong lanes) =>
        SimdFloatHelpers.FMls64Guarded(ctx, 0, d, a, b, lanes);
}
