namespace Emu.Frontend.Decoder;

/// <summary>
/// Calls and returns recognised from their instruction words, where only a block's last word is at hand (the
/// region builder, Tier 1's exits and flags liveness, the dispatcher's indirect-target records).
/// </summary>
public static class BranchWords
{
    /// <summary>BL imm26.</summary>
    public static bool IsBl(uint word) => (word & 0xFC00_0000) == 0x9400_0000;

    /// <summary>BLR Xn.</summary>
    public static bool IsBlr(uint word) => (word & 0xFFFF_FC1F) == 0xD63F_0000;

    /// <summary>RET Xn.</summary>
    public static bool IsRet(uint word) => (word & 0xFFFF_FC1F) == 0xD65F_0000;
}
