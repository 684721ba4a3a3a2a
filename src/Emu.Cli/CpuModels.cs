using Emu.Loader;

namespace Emu.Cli;

/// <summary>
/// A -cpu model: which encoding-table groups (Encoding.Group) decode, and the HWCAPs the guest is told.
/// Instructions of other groups decode as undefined (SIGILL), as on that core.
/// </summary>
public sealed record CpuModel(string Name, string Description, IReadOnlySet<string>? AllowedGroups, ulong HwCap, ulong HwCap2)
{
    /// <summary>The groups of <paramref name="allGroups"/> this model turns off (none for max; the groups are
    /// not listed then, which would load System.Linq at every start).</summary>
    public HashSet<string> DisabledGroups(Func<IEnumerable<string>> allGroups) =>
        AllowedGroups == null ? [] : NotAllowed(allGroups(), AllowedGroups);

    // Its own method: a method's precompiled code loads the assemblies it refers to when it is first called.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static HashSet<string> NotAllowed(IEnumerable<string> groups, IReadOnlySet<string> allowed) =>
        groups.Where(g => !allowed.Contains(g)).ToHashSet();
}

public static class CpuModels
{
    // ARMv8.0-A: base, FP and Advanced SIMD; CRC32 and the crypto extension are options the Cortex-A53 and
    // A57 TRMs list (we implement neither yet, so they are neither decoded nor advertised). No v8.1+ groups:
    // LSE atomics, RCpc (LDAPR), FlagM, pointer authentication, FP16, hinted conditional branches.
    private static readonly HashSet<string> V80Groups = ["base", "fp", "simd", "crc32", "aes", "sha1", "sha2", "pmull", "crypto"];

    public static readonly CpuModel[] All =
    [
        new("max", "every implemented extension", null, HwCaps.DefaultHwCap, HwCaps.DefaultHwCap2),
        new("any", "same as max", null, HwCaps.DefaultHwCap, HwCaps.DefaultHwCap2),
        new("cortex-a53", "ARMv8.0-A: FP and Advanced SIMD only", V80Groups, HwCaps.HWCAP_FP | HwCaps.HWCAP_ASIMD, 0),
        new("cortex-a57", "ARMv8.0-A: FP and Advanced SIMD only", V80Groups, HwCaps.HWCAP_FP | HwCaps.HWCAP_ASIMD, 0),
    ];

    public static CpuModel? Find(string name) => Array.Find(All, m => m.Name == name);
}
