using Emu.Memory;
using Emu.Tests.Conformance;

namespace Emu.Tests.Memory;

/// <summary>
/// The guest reservation goes to <see cref="GuestMemory.LowBase"/> when that range is free, so Tier 1 code adds the
/// base as an x86 displacement instead of keeping it in a host register; otherwise it goes anywhere and still works.
/// </summary>
public sealed unsafe class GuestMemoryPlacementTests
{
    [Fact]
    public void AnEmulatorProcessPutsItsGuestMemoryAtTheLowBase()
    {
        string emulator = Path.Combine(RepoLayout.Root, "artifacts", "bin", "emu-aarch64");
        var result = GuestRun.Run(emulator, ["-d", "page"], RepoLayout.Testbin("hello"), [], new Dictionary<string, string>(), RepoLayout.Timeout);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"guest_base  0x{GuestMemory.LowBase:x}\n", result.Stderr);
    }

    [Fact]
    public void TwoReservationsAtOnceNeverShareTheLowBaseAndBothHoldData()
    {
        using var a = new GuestMemory(32);
        using var b = new GuestMemory(32);
        Assert.NotEqual((ulong)a.Base, (ulong)b.Base);
        foreach (var memory in new[] { a, b })
        {
            // Only a base that an x86 displacement (with Tier 1's largest unmasked offset) can hold counts as one.
            Assert.Equal((ulong)memory.Base + (ulong)GuestMemory.MaxUnmaskedOffset < int.MaxValue, memory.BaseIsDisplacement);
            Assert.Equal(0, memory.MapFixed(0x10000, GuestMemory.PageSize, GuestProt.Read | GuestProt.Write, "data"));
            *(ulong*)memory.HostPointer(0x10008) = (ulong)memory.Base;
        }
        Assert.Equal((ulong)a.Base, *(ulong*)a.HostPointer(0x10008));
        Assert.Equal((ulong)b.Base, *(ulong*)b.HostPointer(0x10008));
    }
}
