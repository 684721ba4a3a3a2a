using Emu.Loader;
using Emu.Tests.Linux;
using G = Emu.Linux.GuestSyscall;

namespace Emu.Tests.SimdFloat;

/// <summary>/proc/cpuinfo as the guest reads it: arm64 format, with the same features as AT_HWCAP/AT_HWCAP2.</summary>
public sealed class CpuInfoTests : IDisposable
{
    private readonly GuestHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public void FeatureNamesFollowTheKernelOrder() =>
        Assert.Equal(["fp", "asimd", "fphp", "asimdhp", "asimdfhm", "frint", "bf16"],
            HwCaps.FeatureNames(HwCaps.HWCAP_FP | HwCaps.HWCAP_ASIMD | HwCaps.HWCAP_FPHP | HwCaps.HWCAP_ASIMDHP | HwCaps.HWCAP_ASIMDFHM,
                HwCaps.HWCAP2_FRINT | HwCaps.HWCAP2_BF16));

    [Fact]
    public void GuestReadsArm64CpuInfoWithTheAdvertisedFeatures()
    {
        _h.WriteString(GuestHarness.Scratch, "/proc/cpuinfo");
        long fd = _h.Syscall(G.Openat, -100, (long)GuestHarness.Scratch, 0, 0);
        Assert.True(fd >= 0, $"openat /proc/cpuinfo = {fd}");
        ulong buf = GuestHarness.Scratch + 0x1000;
        long n = _h.Syscall(G.Read, (ulong)fd, buf, 0x1000);
        Assert.True(n > 0);
        string text = _h.ReadString(buf, (int)n);
        _h.Syscall(G.Close, (ulong)fd);
        Assert.StartsWith("processor\t: 0\n", text);
        Assert.Contains("CPU implementer\t: 0x41\n", text);
        string features = text.Split('\n').First(l => l.StartsWith("Features", StringComparison.Ordinal));
        var names = features[(features.IndexOf(':') + 2)..].Split(' ');
        Assert.Superset(new HashSet<string> { "fp", "asimd", "fphp", "asimdhp", "asimdfhm", "frint", "bf16" }, names.ToHashSet());
        Assert.DoesNotContain("sve", names);
    }
}
