using System.Runtime.InteropServices;
using Emu.Frontend.Translation;

namespace Emu.IR.Passes;

/// <summary>
/// Drops the upper-half clears of 64-bit (Q=0) vector results that change nothing: the value's upper half is
/// already zero (a 64-bit load, FromScalar, KeepLow32, or a lane-wise op of such values), or nothing reads it (the
/// value only feeds lane-wise ops whose upper halves are cleared or unread themselves, Low64, KeepLow32, or 64-bit
/// stores).
/// A chain of .2S/.8B ops (SHA-256's message schedule) then clears once per result register, not per op; on
/// the host each clear is a dependent movq.
/// </summary>
public static class ZeroUpperElimination
{
    public static void Run(IrBlock block)
    {
        var insts = block.Insts;
        bool any = false;
        foreach (var inst in CollectionsMarshal.AsSpan(insts)) any |= PassSupport.IsSimdHelper(inst, nameof(SimdHelpers.ZeroUpper));
        if (!any) return;

        // Forward. Marked: the value's upper 64 bits are known to be zero.
        PassSupport.ResetScratch(insts);
        foreach (var inst in CollectionsMarshal.AsSpan(insts))
        {
            PassSupport.Remap(inst);
            if (PassSupport.IsSimdHelper(inst, nameof(SimdHelpers.ZeroUpper)))
            {
                if (inst.Args![0].Marked) inst.Replacement = inst.Args[0];
                inst.Marked = true;
            }
            else
            {
                inst.Marked = inst.Op switch
                {
                    IrOp.LoadVec => inst.Imm <= 8,
                    IrOp.Call => inst.Helper!.Method.DeclaringType == typeof(SimdHelpers) && KeepsUpperZero(inst),
                    _ => false,
                };
            }
        }

        // Backward. Marked: a user may read the value's upper half (users come after their operands).
        foreach (var inst in CollectionsMarshal.AsSpan(insts)) inst.Marked = false;
        for (int i = insts.Count - 1; i >= 0; i--)
        {
            var inst = insts[i];
            if (inst.Replacement != null) continue; // dropped above: its operand's users decide
            bool upperRead = inst.Op switch
            {
                IrOp.Call when PassSupport.IsSimdHelper(inst, nameof(SimdHelpers.ZeroUpper)) || PassSupport.IsSimdHelper(inst, nameof(SimdHelpers.Low64))
                    || PassSupport.IsSimdHelper(inst, nameof(SimdHelpers.KeepLow32)) => false,
                IrOp.Call when inst.Helper!.Method.DeclaringType == typeof(SimdHelpers) && IsLaneWise(inst.Helper.Method.Name) => inst.Marked,
                IrOp.StoreVec => inst.Imm > 8,
                _ => true,
            };
            if (!upperRead) continue;
            foreach (var o in inst.Operands()) o.Marked = true;
        }

        // Forward again: clears whose result's upper half nobody reads become their operand.
        foreach (var inst in CollectionsMarshal.AsSpan(insts))
        {
            PassSupport.Remap(inst);
            if (inst.Replacement == null && !inst.Marked && PassSupport.IsSimdHelper(inst, nameof(SimdHelpers.ZeroUpper)))
                inst.Replacement = inst.Args![0];
        }
    }

    /// <summary>Lane-wise with zero for zero inputs: upper halves that are zero stay zero.</summary>
    private static bool KeepsUpperZero(IrInst inst)
    {
        string name = inst.Helper!.Method.Name;
        if (name is nameof(SimdHelpers.FromScalar) or nameof(SimdHelpers.KeepLow32)) return true;
        // Orn and Not turn zero lanes into ones.
        if (!IsLaneWise(name) || name is nameof(SimdHelpers.Orn) or nameof(SimdHelpers.Not)) return false;
        foreach (var a in inst.Args!)
            if (a.Type == IrType.V128 && !a.Marked) return false;
        return true;
    }

    /// <summary>Each result half depends only on the same half of the vector operands.</summary>
    private static bool IsLaneWise(string name) => name is nameof(SimdHelpers.And) or nameof(SimdHelpers.Bic) or nameof(SimdHelpers.Orr)
        or nameof(SimdHelpers.Orn) or nameof(SimdHelpers.Eor) or nameof(SimdHelpers.Not)
        or nameof(SimdHelpers.Bsl) or nameof(SimdHelpers.Bit) or nameof(SimdHelpers.Bif)
        or nameof(SimdHelpers.Add) or nameof(SimdHelpers.Sub) or nameof(SimdHelpers.Neg) or nameof(SimdHelpers.Abs)
        or nameof(SimdHelpers.UMax) or nameof(SimdHelpers.UMin) or nameof(SimdHelpers.SMax) or nameof(SimdHelpers.SMin)
        or nameof(SimdHelpers.Shl) or nameof(SimdHelpers.UShr) or nameof(SimdHelpers.SShr);
}
