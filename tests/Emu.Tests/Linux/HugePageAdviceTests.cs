using Emu.Memory;
using G = Emu.Linux.GuestSyscall;

namespace Emu.Tests.Linux;

/// <summary>Runs only where the host gives transparent huge pages on request (enabled = [madvise]).</summary>
public sealed class HugePagesOnRequestFactAttribute : FactAttribute
{
    public HugePagesOnRequestFactAttribute()
    {
        const string setting = "/sys/kernel/mm/transparent_hugepage/enabled";
        if (!File.Exists(setting) || !File.ReadAllText(setting).Contains("[madvise]"))
            Skip = "the host's transparent huge pages are not in madvise mode";
    }
}

/// <summary>
/// Large anonymous guest mappings are advised to use transparent huge pages (TLB-bound walks over big
/// arrays); small ones, thread stacks and PROT_NONE reservations are not. Read back from the host's own
/// /proc/self/smaps (THPeligible of the host mapping behind the guest range).
/// </summary>
public sealed unsafe class HugePageAdviceTests : IDisposable
{
    private const ulong ProtRw = 3, MapPrivateAnon = 0x22, MapStack = 0x20000, MadvHugePage = 14;
    private readonly GuestHarness _h = new();

    public void Dispose() => _h.Dispose();

    private ulong Map(ulong length, ulong prot, ulong flags)
    {
        long a = _h.Syscall(G.Mmap, 0, length, prot, flags, ulong.MaxValue, 0);
        Assert.True(a > 0, $"mmap returned {a}");
        return (ulong)a;
    }

    /// <summary>THPeligible of the host mapping that holds guest address <paramref name="guest"/>.</summary>
    private bool HugePageEligible(ulong guest)
    {
        ulong host = (ulong)_h.Memory.HostPointer(guest);
        bool inside = false;
        foreach (var line in File.ReadLines("/proc/self/smaps"))
        {
            int dash = line.IndexOf('-');
            if (dash > 0 && line.IndexOf(' ') > dash && ulong.TryParse(line.AsSpan(0, dash), System.Globalization.NumberStyles.HexNumber, null, out ulong start))
            {
                ulong end = ulong.Parse(line.AsSpan(dash + 1, line.IndexOf(' ') - dash - 1), System.Globalization.NumberStyles.HexNumber);
                inside = host >= start && host < end;
            }
            else if (inside && line.StartsWith("THPeligible:", StringComparison.Ordinal))
                return line.EndsWith('1');
        }
        throw new InvalidOperationException($"no host mapping at {host:x}");
    }

    [HugePagesOnRequestFact]
    public void LargeAnonymousMappingIsAdvised()
    {
        ulong a = Map(16 << 20, ProtRw, MapPrivateAnon);
        Assert.True(HugePageEligible(a + (8 << 20)));
    }

    [HugePagesOnRequestFact]
    public void SmallMappingsStacksAndReservationsAreNot()
    {
        Assert.False(HugePageEligible(Map(1 << 20, ProtRw, MapPrivateAnon)));
        Assert.False(HugePageEligible(Map(16 << 20, ProtRw, MapPrivateAnon | MapStack) + (8 << 20)));
        Assert.False(HugePageEligible(Map(64 << 20, 0, MapPrivateAnon) + (8 << 20)));
    }

    [HugePagesOnRequestFact]
    public void GuestHugePageAdviceReachesTheHost()
    {
        ulong a = Map(4 << 20, ProtRw, MapPrivateAnon);
        Assert.False(HugePageEligible(a));
        Assert.Equal(0, _h.Syscall(G.Madvise, a, 4 << 20, MadvHugePage));
        Assert.True(HugePageEligible(a));
    }
}
