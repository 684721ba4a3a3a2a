using Emu.Cpu;
using Emu.Frontend.Translation;
using Emu.IR;
using V = System.Runtime.Intrinsics.Vector128<byte>;

namespace Emu.Jit;

internal static partial class HelperThunks
{
    /// <summary>
    /// Precompiled cold-tier thunks for the vector helpers a dynamically linked program's start-up runs (glibc's
    /// string functions and ld.so): each calls its helper directly, so ReadyToRun compiles the two together.
    /// A helper with a Vector128 parameter is not precompiled on its own, and a DynamicMethod thunk costs a JIT
    /// compile and the load of Reflection.Emit. Every one must be precompiled (StartupJitTests): no Vector128
    /// shift by a variable count, no call to a helper taking a Vector128, no GetElement by a variable index. Other
    /// vector helpers get a DynamicMethod.
    /// </summary>
    private static unsafe HelperThunk? PrecompiledVector(IrHelper helper)
    {
        var m = helper.Method;
        if (helper.TakesContext) return null;
        if (m.DeclaringType == typeof(SimdHelpers))
        {
            return (m.Name, helper.ArgTypes.Length) switch
            {
                ("ZeroUpper", 1) => ZeroUpper,
                ("FromPair", 2) => FromPair,
                ("Low64", 1) => Low64,
                ("Dup", 2) => Dup,
                ("Bic", 2) => Bic,
                ("Bit", 3) => Bit,
                ("CmEq", 3) => CmEq,
                ("CmHs", 3) => CmHs,
                ("AddP", 4) => AddP,
                ("UMaxP", 4) => UMaxP,
                ("Shrn", 5) => Shrn,
                ("Ext", 4) => Ext,
                ("ExtractLane", 3) => ExtractLane,
                ("InsertLane", 4) => InsertLane,
                ("And", 2) => And,
                ("Orr", 2) => Orr,
                ("Orn", 2) => Orn,
                ("Eor", 2) => Eor,
                ("Not", 1) => Not,
                ("Add", 3) => Add,
                ("Sub", 3) => Sub,
                ("CmTst", 3) => CmTst,
                ("CmHi", 3) => CmHi,
                ("CmGt", 3) => CmGt,
                ("CmGe", 3) => CmGe,
                ("Cnt", 1) => Cnt,
                ("Shl", 3) => Shl,
                ("FromScalar", 1) => FromScalar,
                ("KeepLow32", 1) => KeepLow32,
                _ => null,
            };
        }
        if (m.DeclaringType == typeof(SimdIntegerHelpers))
        {
            return (m.Name, helper.ArgTypes.Length) switch
            {
                ("HighNarrow", 7) => HighNarrow,
                _ => null,
            };
        }
        return null;
    }

    // Slot i of the call: scalars at s + a[i], vectors at v + a[i]; a[0] is the result's.
    private static unsafe ref V Vec(byte* v, int* a, int i) => ref *(V*)(v + a[i]);

    private static unsafe ulong U(byte* s, int* a, int i) => *(ulong*)(s + a[i]);

    private static unsafe void ZeroUpper(CpuContext* c, byte* s, byte* v, int* a) => Vec(v, a, 0) = SimdHelpers.ZeroUpper(Vec(v, a, 1));

    private static unsafe void FromPair(CpuContext* c, byte* s, byte* v, int* a) => Vec(v, a, 0) = SimdHelpers.FromPair(U(s, a, 1), U(s, a, 2));

    private static unsafe void Low64(CpuContext* c, byte* s, byte* v, int* a) => *(ulong*)(s + a[0]) = SimdHelpers.Low64(Vec(v, a, 1));

    private static unsafe void Dup(CpuContext* c, byte* s, byte* v, int* a) => Vec(v, a, 0) = SimdHelpers.Dup(U(s, a, 1), U(s, a, 2));

    private static unsafe void Bic(CpuContext* c, byte* s, byte* v, int* a) => Vec(v, a, 0) = SimdHelpers.Bic(Vec(v, a, 1), Vec(v, a, 2));

    private static unsafe void Bit(CpuContext* c, byte* s, byte* v, int* a) => Vec(v, a, 0) = SimdHelpers.Bit(Vec(v, a, 1), Vec(v, a, 2), Vec(v, a, 3));

    private static unsafe void CmEq(CpuContext* c, byte* s, byte* v, int* a) => Vec(v, a, 0) = SimdHelpers.CmEq(Vec(v, a, 1), Vec(v, a, 2), U(s, a, 3));

    private static unsafe void CmHs(CpuContext* c, byte* s, byte* v, int* a) => Vec(v, a, 0) = SimdHelpers.CmHs(Vec(v, a, 1), Vec(v, a, 2), U(s, a, 3));

    private static unsafe void AddP(CpuContext* c, byte* s, byte* v, int* a) => Vec(v, a, 0) = SimdHelpers.AddP(Vec(v, a, 1), Vec(v, a, 2), U(s, a, 3), U(s, a, 4));

    private static unsafe void UMaxP(CpuContext* c, byte* s, byte* v, int* a) => Vec(v, a, 0) = SimdHelpers.UMaxP(Vec(v, a, 1), Vec(v, a, 2), U(s, a, 3), U(s, a, 4));

    private static unsafe void Shrn(CpuContext* c, byte* s, byte* v, int* a) =>
        Vec(v, a, 0) = SimdHelpers.Shrn(Vec(v, a, 1), Vec(v, a, 2), U(s, a, 3), U(s, a, 4), U(s, a, 5));

    private static unsafe void Ext(CpuContext* c, byte* s, byte* v, int* a) => Vec(v, a, 0) = SimdHelpers.Ext(Vec(v, a, 1), Vec(v, a, 2), U(s, a, 3), U(s, a, 4));

    private static unsafe void HighNarrow(CpuContext* c, byte* s, byte* v, int* a) =>
        Vec(v, a, 0) = SimdIntegerHelpers.HighNarrow(Vec(v, a, 1), Vec(v, a, 2), Vec(v, a, 3), U(s, a, 4), U(s, a, 5), U(s, a, 6), U(s, a, 7));

    // Lane access through memory, not GetElement/WithElement: their range check by a variable index is a throw
    // helper ReadyToRun leaves to the JIT, which made these thunks a JIT compile at start-up.
    private static unsafe byte* LaneIn(byte* vector, ulong index, int size) => vector + (((int)index & ((16 >> size) - 1)) << size);

    private static unsafe void ExtractLane(CpuContext* c, byte* s, byte* v, int* a)
    {
        int size = (int)U(s, a, 3);
        byte* lane = LaneIn(v + a[1], U(s, a, 2), size);
        *(ulong*)(s + a[0]) = size switch
        {
            0 => *lane,
            1 => *(ushort*)lane,
            2 => *(uint*)lane,
            _ => *(ulong*)lane,
        };
    }

    private static unsafe void InsertLane(CpuContext* c, byte* s, byte* v, int* a)
    {
        V result = Vec(v, a, 1);
        ulong value = U(s, a, 2);
        int size = (int)U(s, a, 4);
        byte* lane = LaneIn((byte*)&result, U(s, a, 3), size);
        switch (size)
        {
            case 0: *lane = (byte)value; break;
            case 1: *(ushort*)lane = (ushort)value; break;
            case 2: *(uint*)lane = (uint)value; break;
            default: *(ulong*)lane = value; break;
        }
        Vec(v, a, 0) = result;
    }

    private static unsafe void And(CpuContext* c, byte* s, byte* v, int* a) => Vec(v, a, 0) = SimdHelpers.And(Vec(v, a, 1), Vec(v, a, 2));

    private static unsafe void Orr(CpuContext* c, byte* s, byte* v, int* a) => Vec(v, a, 0) = SimdHelpers.Orr(Vec(v, a, 1), Vec(v, a, 2));

    private static unsafe void Orn(CpuContext* c, byte* s, byte* v, int* a) => Vec(v, a, 0) = SimdHelpers.Orn(Vec(v, a, 1), Vec(v, a, 2));

    private static unsafe void Eor(CpuContext* c, byte* s, byte* v, int* a) => Vec(v, a, 0) = SimdHelpers.Eor(Vec(v, a, 1), Vec(v, a, 2));

    private static unsafe void Not(CpuContext* c, byte* s, byte* v, int* a) => Vec(v, a, 0) = SimdHelpers.Not(Vec(v, a, 1));

    private static unsafe void Add(CpuContext* c, byte* s, byte* v, int* a) => Vec(v, a, 0) = SimdHelpers.Add(Vec(v, a, 1), Vec(v, a, 2), U(s, a, 3));

    private static unsafe void Sub(CpuContext* c, byte* s, byte* v, int* a) => Vec(v, a, 0) = SimdHelpers.Sub(Vec(v, a, 1), Vec(v, a, 2), U(s, a, 3));

    private static unsafe void CmTst(CpuContext* c, byte* s, byte* v, int* a) => Vec(v, a, 0) = SimdHelpers.CmTst(Vec(v, a, 1), Vec(v, a, 2), U(s, a, 3));

    private static unsafe void CmHi(CpuContext* c, byte* s, byte* v, int* a) => Vec(v, a, 0) = SimdHelpers.CmHi(Vec(v, a, 1), Vec(v, a, 2), U(s, a, 3));

    private static unsafe void CmGt(CpuContext* c, byte* s, byte* v, int* a) => Vec(v, a, 0) = SimdHelpers.CmGt(Vec(v, a, 1), Vec(v, a, 2), U(s, a, 3));

    private static unsafe void CmGe(CpuContext* c, byte* s, byte* v, int* a) => Vec(v, a, 0) = SimdHelpers.CmGe(Vec(v, a, 1), Vec(v, a, 2), U(s, a, 3));

    private static unsafe void Cnt(CpuContext* c, byte* s, byte* v, int* a) => Vec(v, a, 0) = SimdHelpers.Cnt(Vec(v, a, 1));

    private static unsafe void Shl(CpuContext* c, byte* s, byte* v, int* a) => Vec(v, a, 0) = SimdHelpers.Shl(Vec(v, a, 1), U(s, a, 2), U(s, a, 3));

    private static unsafe void FromScalar(CpuContext* c, byte* s, byte* v, int* a) => Vec(v, a, 0) = SimdHelpers.FromScalar(U(s, a, 1));

    private static unsafe void KeepLow32(CpuContext* c, byte* s, byte* v, int* a) => Vec(v, a, 0) = SimdHelpers.KeepLow32(Vec(v, a, 1));
}
