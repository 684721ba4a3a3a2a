using System.Reflection;
using System.Runtime.Intrinsics;
using Emu.Cpu;
using Emu.Frontend.Translation;
using Emu.IR;
using Emu.Jit;

namespace Emu.Tests.Startup;

/// <summary>
/// The cold tier calls the vector helpers of glibc's start-up through precompiled thunks (no DynamicMethod, so
/// no JIT compile at start-up). Each must move the same values as calling the helper itself (through
/// reflection here): arguments from their slots, the result to its slot.
/// </summary>
public unsafe class PrecompiledVectorThunkTests
{
    public static TheoryData<string, string> Helpers => new()
    {
        { nameof(SimdHelpers), "ZeroUpper" }, { nameof(SimdHelpers), "FromPair" }, { nameof(SimdHelpers), "Low64" },
        { nameof(SimdHelpers), "Dup" }, { nameof(SimdHelpers), "Bic" }, { nameof(SimdHelpers), "Bit" },
        { nameof(SimdHelpers), "CmEq" }, { nameof(SimdHelpers), "CmHs" }, { nameof(SimdHelpers), "AddP" },
        { nameof(SimdHelpers), "UMaxP" }, { nameof(SimdHelpers), "Shrn" }, { nameof(SimdHelpers), "Ext" },
        { nameof(SimdIntegerHelpers), "HighNarrow" },
        { nameof(SimdHelpers), "ExtractLane" }, { nameof(SimdHelpers), "InsertLane" }, { nameof(SimdHelpers), "And" },
        { nameof(SimdHelpers), "Orr" }, { nameof(SimdHelpers), "Orn" }, { nameof(SimdHelpers), "Eor" },
        { nameof(SimdHelpers), "Not" }, { nameof(SimdHelpers), "Add" }, { nameof(SimdHelpers), "Sub" },
        { nameof(SimdHelpers), "CmTst" }, { nameof(SimdHelpers), "CmHi" }, { nameof(SimdHelpers), "CmGt" },
        { nameof(SimdHelpers), "CmGe" }, { nameof(SimdHelpers), "Cnt" }, { nameof(SimdHelpers), "Shl" },
        { nameof(SimdHelpers), "FromScalar" },
    };

    /// <summary>A valid value for the helper's scalar parameter (sizes, flags, shifts, EXT's index).</summary>
    private static ulong Scalar(string name, string parameter, Random rng) => (name, parameter) switch
    {
        ("FromPair", _) or ("FromScalar", _) or ("Dup", "value") or ("InsertLane", "value") => (ulong)rng.NextInt64(),
        ("Ext", "imm") => (ulong)rng.Next(16),
        ("Shrn", "shift") => (ulong)rng.Next(1, 9),
        ("Shrn", "size") => 0,
        (_, "size") => (ulong)rng.Next(4),
        _ => (ulong)rng.Next(2),
    };

    [Theory]
    [MemberData(nameof(Helpers))]
    public void Thunk_moves_the_same_values_as_a_direct_call(string type, string name)
    {
        var method = (type == nameof(SimdHelpers) ? typeof(SimdHelpers) : typeof(SimdIntegerHelpers))
            .GetMethod(name, BindingFlags.Public | BindingFlags.Static)!;
        var helper = IrHelper.Get(method);
        var thunk = HelperThunks.Get(helper);
        Assert.Equal(typeof(HelperThunks), thunk.Method.DeclaringType); // precompiled, not a DynamicMethod

        var rng = new Random(name.Length * 7919 + name[0]);
        var parameters = method.GetParameters();
        for (int round = 0; round < 200; round++)
        {
            var scalars = new ulong[16];
            var vectors = new Vector128<byte>[16];
            var offsets = new int[parameters.Length + 1];
            var values = new object[parameters.Length];
            for (int i = 0; i < parameters.Length; i++)
            {
                // Each argument in its own slot, away from the result's slot 0.
                int slot = i + 2;
                offsets[i + 1] = parameters[i].ParameterType == typeof(ulong) ? slot * 8 : slot * 16;
                if (parameters[i].ParameterType == typeof(ulong))
                    values[i] = scalars[slot] = Scalar(name, parameters[i].Name!, rng);
                else
                    values[i] = vectors[slot] = Vector128.Create((ulong)rng.NextInt64(), (ulong)rng.NextInt64()).AsByte();
            }
            object expected = method.Invoke(null, values)!;
            fixed (ulong* s = scalars)
            fixed (Vector128<byte>* v = vectors)
            fixed (int* a = offsets)
                thunk(null, (byte*)s, (byte*)v, a);
            if (method.ReturnType == typeof(ulong)) Assert.Equal((ulong)expected, scalars[0]);
            else Assert.Equal((Vector128<byte>)expected, vectors[0]);
        }
    }
}
