using System.Reflection.Emit;
using System.Runtime.Intrinsics;
using Emu.Cpu;
using Emu.IR;

namespace Emu.Jit;

/// <summary>
/// Calls an IR helper for the cold tier: reads the arguments from the value slots at the byte offsets
/// in <paramref name="args"/>[1..], calls, stores the result at offset args[0].
/// </summary>
internal unsafe delegate void HelperThunk(CpuContext* ctx, byte* scalars, byte* vectors, int* args);

/// <summary>
/// One thunk per helper (not per block), made on first use. Scalar signatures use a precompiled method per
/// shape that calls the helper through its function pointer (HelperThunks.Shapes.cs): a DynamicMethod would
/// be JIT-compiled at start-up, and the first one also loads Reflection.Emit. Vector signatures get a small
/// DynamicMethod with a direct call (no boxing, no per-shape delegate zoo).
/// </summary>
internal static partial class HelperThunks
{
    // Locked Dictionary, not ConcurrentDictionary: reached at every start (System.Collections.Concurrent's load).
    private static readonly Dictionary<IrHelper, HelperThunk> Cache = [];

    public static HelperThunk Get(IrHelper helper)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(helper, out var thunk)) Cache.Add(helper, thunk = Build(helper));
            return thunk;
        }
    }

    private static HelperThunk Build(IrHelper helper) =>
        new ShapeThunk(helper.Method.MethodHandle.GetFunctionPointer()).For(Shape(helper)) ?? PrecompiledVector(helper) ?? BuildDynamic(helper);

    /// <summary>"C|VVI|V": context or not, the argument types, the result type (N for none).</summary>
    internal static string Shape(IrHelper helper)
    {
        static char Code(IrType t) => t == IrType.V128 ? 'V' : t == IrType.None ? 'N' : 'I';
        var args = new char[helper.ArgTypes.Length];
        for (int i = 0; i < args.Length; i++) args[i] = Code(helper.ArgTypes[i]);
        return $"{(helper.TakesContext ? 'C' : 'S')}|{new string(args)}|{Code(helper.ResultType)}";
    }

    private static unsafe HelperThunk BuildDynamic(IrHelper helper)
    {
        var dm = new DynamicMethod("thunk_" + helper.Name, typeof(void),
            [typeof(IlCompiler.ClosureTarget), typeof(CpuContext*), typeof(byte*), typeof(byte*), typeof(int*)], typeof(HelperThunks).Module, skipVisibility: true);
        var il = dm.GetILGenerator();
        if (helper.TakesContext) il.Emit(OpCodes.Ldarg_1);
        for (int i = 0; i < helper.ArgTypes.Length; i++)
        {
            EmitSlotAddress(il, helper.ArgTypes[i], i + 1);
            if (helper.ArgTypes[i] == IrType.V128) il.Emit(OpCodes.Ldobj, typeof(Vector128<byte>));
            else il.Emit(OpCodes.Ldind_I8);
        }
        il.Emit(OpCodes.Call, helper.Method);
        if (helper.ResultType != IrType.None)
        {
            var result = il.DeclareLocal(helper.ResultType == IrType.V128 ? typeof(Vector128<byte>) : typeof(ulong));
            il.Emit(OpCodes.Stloc, result);
            EmitSlotAddress(il, helper.ResultType, 0);
            il.Emit(OpCodes.Ldloc, result);
            if (helper.ResultType == IrType.V128) il.Emit(OpCodes.Stobj, typeof(Vector128<byte>));
            else il.Emit(OpCodes.Stind_I8);
        }
        il.Emit(OpCodes.Ret);
        // Closed over a dummy instance: cheaper to invoke than an open static delegate.
        return (HelperThunk)dm.CreateDelegate(typeof(HelperThunk), IlCompiler.ClosureTarget.Instance);
    }

    // Pushes (type == V128 ? vectors : scalars) + args[index].
    private static void EmitSlotAddress(ILGenerator il, IrType type, int index)
    {
        il.Emit(type == IrType.V128 ? OpCodes.Ldarg_3 : OpCodes.Ldarg_2);
        il.Emit(OpCodes.Ldarg, (short)4);
        il.Emit(OpCodes.Ldc_I4, index * 4);
        il.Emit(OpCodes.Add);
        il.Emit(OpCodes.Ldind_I4);
        il.Emit(OpCodes.Conv_I);
        il.Emit(OpCodes.Add);
    }
}
