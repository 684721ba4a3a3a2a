using System.Runtime.InteropServices;
using Emu.Frontend.Translation;

namespace Emu.IR.Passes;

/// <summary>
/// FMOV Sd, Sn translates to FromScalar(ZeroExtend(Low64(Vn), 32)): on the host, vector to general register,
/// a zero extension and back (a few cycles of latency each way). It becomes KeepLow32(Vn), one vector AND;
/// a KeepLow32 of a KeepLow32 is the inner one. A Vn that is itself a FromScalar stays as it is: Tier 1 then
/// uses the scalar directly (scalar FP values stay host floats).
/// FMOV Wd, Sn, ZeroExtend(Low64(Vn), 32), becomes Low32(Vn): one host vmovd instead of a vmovq and a 32-bit
/// mov (SHA-256's round loop moves four words that way per round).
/// </summary>
public static class LaneMoveFolding
{
    private static readonly IrHelper KeepLow32 = IrHelper.Get(typeof(SimdHelpers), nameof(SimdHelpers.KeepLow32));
    private static readonly IrHelper Low32 = IrHelper.Get(typeof(SimdHelpers), nameof(SimdHelpers.Low32));

    public static void Run(IrBlock block)
    {
        var insts = block.Insts;
        PassSupport.ResetScratch(insts);
        foreach (var inst in CollectionsMarshal.AsSpan(insts))
        {
            PassSupport.Remap(inst);
            if (inst is { Op: IrOp.ZeroExtend, Imm: 32, A: { } lane } && PassSupport.IsSimdHelper(lane, nameof(SimdHelpers.Low64))
                && !PassSupport.IsSimdHelper(lane.Args![0], nameof(SimdHelpers.FromScalar)))
            {
                // In place: the users (the 32-bit ones that ExtensionUseForwarding pointed here too) keep their operand.
                inst.Op = IrOp.Call;
                inst.Helper = Low32;
                inst.Args = [lane.Args[0]];
                inst.A = null;
                inst.Imm = 0;
                continue;
            }
            if (!PassSupport.IsSimdHelper(inst, nameof(SimdHelpers.FromScalar)) || inst.Args![0] is not { } low
                || !PassSupport.IsSimdHelper(low, nameof(SimdHelpers.Low32)))
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
