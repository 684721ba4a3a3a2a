using Emu.Tests.Conformance;

namespace Emu.Tests.Linux;

/// <summary>
/// process_vm_readv/writev on a child's memory at the address of a global (the same in both: a static
/// non-PIE program). A fork child shares the parent's guest space placement; a child that exec'd is a new
/// translator with its own, which the remote side must find. Expected results are Linux's.
/// </summary>
public sealed class ProcessVmTests
{
    private const string Expected =
        "read 8: c0ffee0000c0ffee (own 1111111111111111)\n" +
        "write 8\n" +
        "unmapped: -1 EFAULT\n" +
        "child sees 5eed5eed5eed5eed\n" +
        "child exit 0\n";

    [Theory]
    [InlineData("fork")]
    [InlineData("exec")]
    public void ReadsAndWritesTheChildsGuestMemory(string mode)
    {
        if (RepoLayout.RunnerOverridden) return; // qemu-user 7.2 has no process_vm_readv
        GuestResult r = GuestRun.Run(RepoLayout.Runner(), RepoLayout.Testbin("vm_remote"), [mode], new Dictionary<string, string>(), RepoLayout.Timeout);
        Assert.Equal(Expected, r.StdoutText);
        Assert.Equal(0, r.ExitCode);
    }
}
