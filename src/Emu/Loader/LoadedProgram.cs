namespace Emu.Loader;

/// <summary>What the ELF loader produced: where to start and the initial stack pointer.</summary>
public sealed record LoadedProgram(
    ulong EntryPoint,
    ulong InitialSp,
    ulong BrkStart,
    ulong LoadBias,
    ulong InterpreterBase,
    string? InterpreterPath);

/// <summary>The file is not a loadable AArch64 ELF; the message names the problem (exit status 126).</summary>
public sealed class ElfLoadException(string message) : Exception(message);
