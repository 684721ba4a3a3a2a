using System.Runtime.InteropServices;
using Emu.Frontend.Translation;

namespace Emu.IR.Passes;

/// <summary>
/// FMOV Sd, Sn translates to FromScalar(ZeroExtend(Low64(Vn), 32)): on the host, vector to general register,
/// a zero extension and back (a few cycles of latency each way). It becomes KeepLow32(Vn), one vector AND;
/// a KeepLow32 of a KeepLow32 is the inner one. A Vn that is itself a FromScalar stays as it is: Tier 1 then
/// uses the scalar directly (scalar FP values stay host floats).
/// </summary>
public static class LaneMoveFolding
{
    private static readonly IrHelper KeepLow32 = IrHelper.Get(typeof(SimdHelpers), nameof(SimdHelpers.KeepLow32));

    public static void Run(IrBlock block)
    {
        var insts = block.Insts;
        PassSupport.ResetScratch(insts);
        foreach (var inst in CollectionsMarshal.AsSpan(insts))
        {
            PassSupport.Remap(inst);
            if (!PassSupport.IsSimdHelper(inst, nameof(SimdHelpers.FromScalar)) || inst.Args![0] is not { Op: IrOp.ZeroExtend, Imm: 32 } extend
                || extend.A is not { } low || !PassSupport.IsSimdHelper(low, nameof(SimdHelpers.Low64)))
                continue;
            var v = low.Args![0];
            if (PassSupport.IsSimdHelper(v, nameof(SimdHelpers.FromScalar))) continue;
            if (PassSupport.IsSimdHelper(v, nameof(SimdHelpers.KeepLow32)))
            {
                inst.Replacement = v;
                continue;
            }
            inst.Helper = KeepLow32;
            inst.Args = [v];
        }
    }
}
