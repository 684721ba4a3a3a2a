using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.Intrinsics;
using Emu.Frontend.Translation;
using Emu.IR;
using Emu.IR.Passes;

namespace Emu.Jit;

public static unsafe partial class IlCompiler
{
    /// <summary>Split forms of a guarded FP helper (see <see cref="SimdFpInlineHelpers"/>).</summary>
    private sealed record FpSplitForm(MethodInfo Host, MethodInfo Ok, MethodInfo Exact, bool Typed);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<MethodInfo, FpSplitForm?> SplitForms = new();

    /// <summary>
    /// The split forms of <paramref name="method"/>: scalar helpers have typed ones (double/float operands and
    /// result, so a chain of FP operations stays in host FP registers), vector helpers bit-typed ones.
    /// </summary>
    private static FpSplitForm? SplitForm(MethodInfo method) => SplitForms.GetOrAdd(method, m =>
    {
        const BindingFlags Flags = BindingFlags.Public | BindingFlags.Static;
        string name = m.DeclaringType!.Name + m.Name;
        var exact = typeof(SimdFpInlineHelpers).GetMethod(name + "Exact", Flags);
        if (exact == null || exact.ReturnType != m.ReturnType) return null;
        var typedHost = typeof(SimdFpInlineHelpers).GetMethod(name + "Typed", Flags);
        var typedOk = typeof(SimdFpInlineHelpers).GetMethod(name + "TypedOk", Flags);
        if (typedHost != null && typedOk != null) return new FpSplitForm(typedHost, typedOk, exact, true);
        var host = typeof(SimdFpInlineHelpers).GetMethod(name + "Host", Flags);
        var ok = typeof(SimdFpInlineHelpers).GetMethod(name + "Ok", Flags);
        if (host == null || ok == null || host.ReturnType != m.ReturnType) return null;
        return new FpSplitForm(host, ok, exact, false);
    });

    private static readonly MethodInfo DoubleToBits = typeof(BitConverter).GetMethod(nameof(BitConverter.DoubleToUInt64Bits))!;
    private static readonly MethodInfo BitsToDouble = typeof(BitConverter).GetMethod(nameof(BitConverter.UInt64BitsToDouble))!;
    private static readonly MethodInfo SingleToBits = typeof(BitConverter).GetMethod(nameof(BitConverter.SingleToUInt32Bits))!;
    private static readonly MethodInfo BitsToSingle = typeof(BitConverter).GetMethod(nameof(BitConverter.UInt32BitsToSingle))!;

    private static bool IsFpType(Type t) => t == typeof(double) || t == typeof(float);

    private sealed partial class BlockEmitter
    {
        // The exact paths of inline FP operations, emitted after the method body (see TryEmitFpOutOfLine).
        // A record class, not a tuple: a List over a new value type is host JIT at the first compile.
        private sealed record FpSlowPath(Label Slow, Label Resume, MethodInfo Exact, LocalBuilder[] Args, LocalBuilder Result);
        private readonly List<FpSlowPath> _fpSlowPaths = new();
        private readonly Stack<LocalBuilder> _freeDoubles = new(), _freeFloats = new();
        // The type of the local Define gives the value on the stack (null: by the IR type).
        private Type? _definingType;
        private LocalBuilder? _fpSlowResult;
        // Per value: the host FP type its typed consumers take (Low64 reads feeding scalar FP get it).
        private Type?[] _fpWant = [];

        private Stack<LocalBuilder> PoolFor(Type type) =>
            type == typeof(ulong) ? _freeScalars : type == V128 ? _freeVectors : type == typeof(double) ? _freeDoubles : _freeFloats;

        /// <summary>Turns the double or float on the stack into its IR bits (a float zero-extended).</summary>
        private void EmitFpToBits(Type type)
        {
            if (type == typeof(double))
            {
                _il.Emit(OpCodes.Call, DoubleToBits);
                return;
            }
            _il.Emit(OpCodes.Call, SingleToBits);
            _il.Emit(OpCodes.Conv_U8);
        }

        private void EmitBitsToFp(Type type)
        {
            if (type == typeof(double))
            {
                _il.Emit(OpCodes.Call, BitsToDouble);
                return;
            }
            _il.Emit(OpCodes.Conv_U4);
            _il.Emit(OpCodes.Call, BitsToSingle);
        }

        /// <summary>Pushes <paramref name="v"/> as a <paramref name="type"/> (double or float).</summary>
        private void LoadAs(IrInst v, Type type)
        {
            var local = LocalOf(v);
            if (local?.LocalType == type)
            {
                _il.Emit(OpCodes.Ldloc, local);
                return;
            }
            Load(v);
            EmitBitsToFp(type);
        }

        /// <summary>Marks the Low64 reads whose every typed consumer takes the same host FP type.</summary>
        private void AnalyzeFpTypes()
        {
            _fpWant = new Type?[_values.Length];
            var conflict = new bool[_values.Length];
            foreach (var inst in _insts)
            {
                if (inst.Op != IrOp.Call || !inst.Helper!.UsesOnlyFpStatus || SplitForm(inst.Helper.Method) is not { Typed: true } form) continue;
                var ps = form.Host.GetParameters();
                for (int i = 0; i < ps.Length; i++)
                {
                    var t = ps[i].ParameterType;
                    if (!IsFpType(t)) continue;
                    int a = inst.Args![i].Index;
                    if (conflict[a]) continue;
                    if (_fpWant[a] == null) _fpWant[a] = t;
                    else if (_fpWant[a] != t)
                    {
                        _fpWant[a] = null;
                        conflict[a] = true;
                    }
                }
            }
        }

        /// <summary>
        /// Moves between vector registers and typed FP values without a trip through a general register:
        /// Low64 of a vector read as a double or float, FromScalar of a typed value. False: not such a call.
        /// </summary>
        private bool TryEmitTypedFpMove(IrInst inst)
        {
            if (PassSupport.IsSimdHelper(inst, nameof(Frontend.Translation.SimdHelpers.Low64)) && _fpWant[inst.Index] is { } want)
            {
                if (_scalarOf[inst.Index] is { } scalar) LoadAs(scalar, want);
                else
                {
                    Load(inst.Args![0]);
                    _il.Emit(OpCodes.Call, want == typeof(double) ? LowDoubleMethod : LowSingleMethod);
                }
                _definingType = want;
                return true;
            }
            if (PassSupport.IsSimdHelper(inst, nameof(Frontend.Translation.SimdHelpers.FromScalar)) && LocalOf(inst.Args![0]) is { } local && IsFpType(local.LocalType))
            {
                _il.Emit(OpCodes.Ldloc, local);
                _il.Emit(OpCodes.Call, local.LocalType == typeof(double) ? FromDoubleMethod : FromSingleMethod);
                return true;
            }
            return false;
        }

        private static MethodInfo? s_lowDoubleMethod;

        private static MethodInfo LowDoubleMethod => s_lowDoubleMethod ??= typeof(SimdFpInlineHelpers).GetMethod(nameof(SimdFpInlineHelpers.LowDouble))!;
        private static MethodInfo? s_lowSingleMethod;
        private static MethodInfo LowSingleMethod => s_lowSingleMethod ??= typeof(SimdFpInlineHelpers).GetMethod(nameof(SimdFpInlineHelpers.LowSingle))!;
        private static MethodInfo? s_fromDoubleMethod;
        private static MethodInfo FromDoubleMethod => s_fromDoubleMethod ??= typeof(SimdFpInlineHelpers).GetMethod(nameof(SimdFpInlineHelpers.FromDouble))!;
        private static MethodInfo? s_fromSingleMethod;
        private static MethodInfo FromSingleMethod => s_fromSingleMethod ??= typeof(SimdFpInlineHelpers).GetMethod(nameof(SimdFpInlineHelpers.FromSingle))!;

        /// <summary>
        /// Emits an FP-status helper that has split forms as the host operation and its check inline, with a
        /// branch to the exact helper placed after the method body. The hot path then holds no call, so RyuJIT
        /// can keep FP values in host registers across it (a call clobbers them all). FPCR and FPSR are
        /// already in the context (the caller flushed them). False if the helper has no split forms.
        /// </summary>
        private bool TryEmitFpOutOfLine(IrInst inst)
        {
            var h = inst.Helper!;
            if (SplitForm(h.Method) is not { } form) return false;
            var args = inst.Args!;
            var argLocals = new LocalBuilder[args.Length];
            for (int i = 0; i < args.Length; i++)
                argLocals[i] = LocalOf(args[i]) ?? throw new InvalidOperationException($"tier 1: v{args[i].Index} has no value");

            var type = form.Host.ReturnType;
            var pool = PoolFor(type);
            var result = pool.Count > 0 ? pool.Pop() : _il.DeclareLocal(type);
            var ps = form.Host.GetParameters();
            for (int i = 0; i < args.Length; i++)
            {
                if (form.Typed && IsFpType(ps[i].ParameterType)) LoadAs(args[i], ps[i].ParameterType);
                else Load(args[i]);
            }
            _il.Emit(OpCodes.Call, form.Host);
            _il.Emit(OpCodes.Stloc, result);
            var slow = _il.DefineLabel();
            var resume = _il.DefineLabel();
            // The mode test as its own branch (it is loop-invariant, so predicted), then the result test
            // told the mode is open: two compare-and-jumps, no flag arithmetic.
            EmitFpFast();
            _il.Emit(OpCodes.Brfalse, slow);
            _il.Emit(OpCodes.Ldc_I8, 1L);
            _il.Emit(OpCodes.Ldloc, result);
            if (!form.Typed)
                foreach (var a in args) Load(a);
            _il.Emit(OpCodes.Call, form.Ok);
            _il.Emit(OpCodes.Brfalse, slow);
            _il.MarkLabel(resume);
            _il.Emit(OpCodes.Ldloc, result);
            _definingType = type;
            // The temporary is dead once pushed: Define gives the value its own local.
            pool.Push(result);
            _fpSlowPaths.Add(new FpSlowPath(slow, resume, form.Exact, argLocals, result));
            return true;
        }

        /// <summary>The exact paths of <see cref="TryEmitFpOutOfLine"/>, then back to the code after the operation.</summary>
        private void EmitFpSlowPaths()
        {
            foreach (var (slow, resume, exact, args, result) in _fpSlowPaths)
            {
                _il.MarkLabel(slow);
                _il.Emit(OpCodes.Ldarg_1);
                foreach (var a in args)
                {
                    _il.Emit(OpCodes.Ldloc, a);
                    if (IsFpType(a.LocalType)) EmitFpToBits(a.LocalType);
                }
                _il.Emit(OpCodes.Call, exact);
                if (IsFpType(result.LocalType)) EmitBitsToFp(result.LocalType);
                if (result.LocalType == V128)
                {
                    // A vector comes back through a return buffer: give the call its own local, so RyuJIT does
                    // not make the hot path's result live in memory.
                    _fpSlowResult ??= _il.DeclareLocal(V128);
                    _il.Emit(OpCodes.Stloc, _fpSlowResult);
                    _il.Emit(OpCodes.Ldloc, _fpSlowResult);
                }
                _il.Emit(OpCodes.Stloc, result);
                _il.Emit(OpCodes.Br, resume);
            }
        }
    }
}
