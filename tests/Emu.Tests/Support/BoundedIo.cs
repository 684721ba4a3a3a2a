using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Emu.Tests.Support;

/// <summary>
/// Waits on child processes' pipes with a limit. A pipe reaches end-of-file only when every process holding
/// it is gone, so a forked grandchild that hangs (or outlives its parent) would otherwise block a test, and
/// with it the whole run, forever.
/// </summary>
internal static partial class BoundedIo
{
    /// <summary>How long output may keep flowing after the process we started has exited or was killed.</summary>
    public static readonly TimeSpan Drain = TimeSpan.FromSeconds(30);

    /// <summary>The task's result, or a test failure naming <paramref name="what"/> when it does not complete in time.</summary>
    public static T Result<T>(Task<T> task, string what, TimeSpan? timeout = null)
    {
        TimeSpan limit = timeout ?? Drain;
        if (!task.Wait(limit))
            Assert.Fail($"{what}: nothing within {limit.TotalSeconds:0} s (a process that is still running holds the pipe)");
        return task.Result;
    }

    /// <summary>The next line of a child's output, failing the test instead of blocking forever.</summary>
    public static string? ReadLine(StreamReader reader, string what, TimeSpan timeout) =>
        Result(reader.ReadLineAsync(), what, timeout);

    /// <summary>
    /// Sends <paramref name="signal"/> to <paramref name="process"/> until it prints its next line, and returns
    /// that line. The guest waits for the signal in a blocking call; a signal that arrives just before the call
    /// starts is handled and then the call blocks, so one signal is not enough. Resending is bounded by
    /// <paramref name="timeout"/>; the guest must print the same line however many signals it took.
    /// </summary>
    public static string? SignalUntilLine(Process process, int signal, TimeSpan timeout)
    {
        Task<string?> line = process.StandardOutput.ReadLineAsync();
        var clock = Stopwatch.StartNew();
        do
        {
            if (Kill(process.Id, signal) != 0 && process.HasExited)
                break;
            if (line.Wait(TimeSpan.FromMilliseconds(250)))
                return line.Result;
        } while (clock.Elapsed < timeout);
        return Result(line, $"output after signal {signal}", TimeSpan.FromSeconds(5));
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
