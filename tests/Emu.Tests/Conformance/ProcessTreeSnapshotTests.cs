using System.Diagnostics;

namespace Emu.Tests.Conformance;

/// <summary>The hang report names each process below the run and where each of its threads waits.</summary>
public class ProcessTreeSnapshotTests
{
    [Fact]
    public void A_waiting_child_and_its_parent_are_both_described()
    {
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardInput = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("sleep 30 & wait");
        using var shell = Process.Start(psi)!;
        try
        {
            // Until the child shows up: its own line, "sleep 30" then the line's end (the shell's line has the
            // same words in its command, so that alone would not do).
            string text = "";
            for (int i = 0; i < 200 && !text.Contains("sleep 30\n", StringComparison.Ordinal); i++)
            {
                text = ProcessTreeSnapshot.Describe(shell.Id);
                if (!text.Contains("sleep 30\n", StringComparison.Ordinal)) Thread.Sleep(10);
            }
            Assert.Contains($"process {shell.Id} /bin/sh -c sleep 30 & wait", text);
            Assert.Contains("sleep 30\n", text);
            Assert.Matches(@"state S wchan \S+ syscall \d+", text);
        }
        finally
        {
            shell.Kill(entireProcessTree: true);
            shell.WaitForExit();
        }
    }
}
