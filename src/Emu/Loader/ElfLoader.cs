using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Emu.Memory;
using Microsoft.Win32.SafeHandles;

namespace Emu.Loader;

/// <summary>
/// Loads an AArch64 Linux ELF program (and its PT_INTERP dynamic linker) into the guest address space
/// and builds the initial stack the way Linux's fs/binfmt_elf.c does (create_elf_tables).
/// </summary>
public static partial class ElfLoader
{
    private const ulong Page = GuestMemory.PageSize;
    // Linux's default vm.mmap_min_addr: an ET_EXEC segment below it cannot be mapped.
    private const ulong MinMapAddress = 0x10000;
    // AT_MINSIGSTKSZ: arm64's MINSIGSTKSZ from uapi asm/signal.h, an upper bound on the signal frame
    // without SVE/SME state.
    private const ulong MinSigStackSize = 5120;
    private const string Platform = "aarch64";

    // Auxiliary vector entry types (include/uapi/linux/auxvec.h, arch/arm64/include/uapi/asm/auxvec.h).
    public const ulong AT_NULL = 0, AT_PHDR = 3, AT_PHENT = 4, AT_PHNUM = 5, AT_PAGESZ = 6, AT_BASE = 7,
        AT_FLAGS = 8, AT_ENTRY = 9, AT_UID = 11, AT_EUID = 12, AT_GID = 13, AT_EGID = 14, AT_PLATFORM = 15,
        AT_HWCAP = 16, AT_CLKTCK = 17, AT_SECURE = 23, AT_RANDOM = 25, AT_HWCAP2 = 26, AT_EXECFN = 31,
        AT_MINSIGSTKSZ = 51;

    /// <summary>
    /// Maps <paramref name="path"/> (and its interpreter) into <paramref name="memory"/>, maps and fills the
    /// initial stack, and returns where to start. Throws <see cref="ElfLoadException"/> for files that are not
    /// loadable AArch64 programs.
    /// </summary>
    public static LoadedProgram Load(GuestMemory memory, string path, IReadOnlyList<string> argv, IReadOnlyList<string> envp, LoaderOptions options)
    {
        string hostPath = Path.GetFullPath(path);
        ElfFile exe;
        ulong bias;
        ulong imageEnd;
        // binfmt_misc O/C: the kernel already opened the program (it may be executable but not readable).
        using (var file = options.ProgramFile ?? OpenFile(hostPath, "", 126))
        {
            exe = ElfFile.Parse(file, "", memory.Size);
            // ET_DYN (PIE, static-pie, or ld.so run directly) goes at the fixed PIE base, as qemu-aarch64 does.
            bias = exe.Type == ElfFile.ET_DYN ? GuestLayout.PieBase - exe.MinVAddr : 0;
            CheckPlacement(memory, exe, bias, "");
            imageEnd = MapSegments(memory, file, exe, bias, hostPath, "");
        }

        ulong stackSize = GuestMemory.PageAlignUp(options.StackSize);
        if (stackSize == 0 || stackSize > GuestLayout.StackTop - GuestLayout.MmapBottom)
            throw new ElfLoadException($"stack size 0x{options.StackSize:x} is out of range");
        ulong stackBottom = GuestLayout.StackTop - stackSize;
        if (Collides(memory, stackBottom, GuestLayout.StackTop) is { } hit)
            throw new ElfLoadException($"the stack [0x{stackBottom:x}, 0x{GuestLayout.StackTop:x}) would overlap the program at 0x{hit.Start:x}; use a smaller stack (-s)");
        var stackProt = GuestProt.Read | GuestProt.Write | (exe.ExecutableStack ? GuestProt.Exec : 0);
        long rc = memory.MapFixed(stackBottom, stackSize, stackProt, "[stack]");
        if (rc < 0) throw new ElfLoadException($"cannot map the stack (errno {-rc})");

        ulong interpBase = 0;
        string? interpHostPath = null;
        ulong entry = exe.Entry + bias;
        if (exe.Interpreter != null)
        {
            interpHostPath = FindInterpreter(exe.Interpreter, options.SysRoot);
            string who = $"ELF interpreter {interpHostPath}: ";
            using var file = OpenFile(interpHostPath, who, 126);
            var interp = ElfFile.Parse(file, who, memory.Size);
            ulong interpBias = 0;
            if (interp.Type == ElfFile.ET_DYN)
            {
                ulong span = GuestMemory.PageAlignUp(interp.MaxEnd) - interp.MinVAddr;
                ulong align = interp.MaxAlign;
                ulong free = memory.FindFree(span + align - Page, GuestLayout.MmapTop, GuestLayout.MmapBottom);
                if (free == 0) throw new ElfLoadException($"{who}no room for its 0x{span:x} bytes in the guest address space");
                interpBias = ((free + align - 1) & ~(align - 1)) - interp.MinVAddr;
            }
            CheckPlacement(memory, interp, interpBias, who);
            MapSegments(memory, file, interp, interpBias, interpHostPath, who);
            interpBase = interp.MinVAddr + interpBias;
            entry = interp.Entry + interpBias;
        }

        ulong phdrAddress = ProgramHeaderAddress(exe, bias);
        var stack = BuildStack(memory, stackBottom, exe, bias, phdrAddress, interpBase, argv, envp, options.ExecFn ?? path, options);

        return new LoadedProgram(entry, stack.Sp, GuestMemory.PageAlignUp(imageEnd), bias, interpBase, interpHostPath)
        {
            ProgramEntry = exe.Entry + bias,
            ProgramHeaders = stack.PhdrAddress,
            ImageStart = exe.MinVAddr + bias,
            ImageEnd = imageEnd,
            StackBottom = stackBottom,
            StackTop = GuestLayout.StackTop,
            ExecutableStack = exe.ExecutableStack,
            AuxvAddress = stack.AuxvAddress,
            Auxv = stack.Auxv,
        };
    }

    // open(2) directly: File.OpenHandle's marshalled SafeFileHandle return costs a reflection-made instance
    // and a JIT compile at every start (Activator.CreateInstance<T>).
    private static unsafe SafeFileHandle OpenFile(string hostPath, string who, int status)
    {
        const int ORdonly = 0, OCloexec = 0x80000, AtFdcwd = -100;
        long fd;
        byte[] path = Encoding.UTF8.GetBytes(hostPath + "\0");
        fixed (byte* p = path) fd = Emu.Linux.Native.LibC.SyscallRaw(Emu.Linux.Native.HostSyscall.Openat, AtFdcwd, (long)p, ORdonly | OCloexec);
        if (fd < 0)
        {
            int errno = (int)-fd;
            if (errno is Emu.Linux.Errno.ENOENT or Emu.Linux.Errno.ENOTDIR) throw new ElfLoadException($"{who}No such file or directory", 127);
            if (errno is Emu.Linux.Errno.EACCES or Emu.Linux.Errno.EPERM) throw new ElfLoadException($"{who}Permission denied", status);
            throw new ElfLoadException($"{who}{Marshal.GetPInvokeErrorMessage(errno)}", status);
        }
        var handle = new SafeFileHandle((nint)fd, ownsHandle: true);
        // A directory opens read-only; reading it then fails with EISDIR.
        if (Directory.Exists(hostPath))
        {
            handle.Dispose();
            throw new ElfLoadException($"{who}Is a directory", status);
        }
        return handle;
    }

    /// <summary>The host file for PT_INTERP: under the sysroot first, then on the host itself.</summary>
    private static string FindInterpreter(string interp, string? sysRoot)
    {
        var tried = new List<string>();
        if (!string.IsNullOrEmpty(sysRoot))
        {
            string candidate = sysRoot.TrimEnd('/') + (interp.StartsWith('/') ? interp : "/" + interp);
            if (File.Exists(candidate)) return candidate;
            tried.Add(candidate);
        }
        if (File.Exists(interp)) return Path.GetFullPath(interp);
        tried.Add(interp);
        // The Debian/Ubuntu cross toolchain's sysroot is the usual place on an x86-64 host.
        const string crossRoot = "/usr/aarch64-linux-gnu";
        string hint = sysRoot != crossRoot && File.Exists(crossRoot + interp) ? $" (e.g. -L {crossRoot}, which has it)" : "";
        throw new ElfLoadException(
            $"cannot find the ELF interpreter {interp} (looked for {string.Join(" and ", tried)}); use -L <sysroot> to say where the AArch64 libraries are{hint}",
            127);
    }

    private static GuestRegion? Collides(GuestMemory memory, ulong start, ulong end)
    {
        foreach (var r in memory.Regions)
            if (r.Start < end && r.End > start) return r;
        return null;
    }

    /// <summary>Checks the biased segments lie in the guest space, above mmap_min_addr, and on free memory.</summary>
    private static void CheckPlacement(GuestMemory memory, ElfFile elf, ulong bias, string who)
    {
        foreach (var l in elf.Loads)
        {
            ulong start = l.VAddr + bias, end = l.MemEnd + bias;
            if (start < l.VAddr || end < start || !memory.InRange(start, l.MemSize) || GuestMemory.PageAlignUp(end) > memory.Size)
                throw new ElfLoadException($"{who}PT_LOAD segment {l.Index}: [0x{start:x}, 0x{end:x}) lies outside the {memory.Size >> 30} GiB guest address space");
            if (start < MinMapAddress)
                throw new ElfLoadException($"{who}PT_LOAD segment {l.Index} at 0x{start:x} lies below the lowest mappable address 0x{MinMapAddress:x}");
            if (Collides(memory, GuestMemory.PageAlignDown(start), GuestMemory.PageAlignUp(end)) is { } r)
                throw new ElfLoadException($"{who}PT_LOAD segment {l.Index} [0x{start:x}, 0x{end:x}) overlaps {(r.Name.Length > 0 ? r.Name : "a mapping")} at 0x{r.Start:x}");
        }
    }

    /// <summary>
    /// Maps each PT_LOAD read-write, copies its file bytes, zeroes its bss, then applies the segment's
    /// protection (a page shared by two segments gets both). Returns the end of the highest segment.
    /// </summary>
    private static ulong MapSegments(GuestMemory memory, SafeFileHandle file, ElfFile elf, ulong bias, string name, string who)
    {
        // An array of our own struct, not a List of tuples: that generic instantiation is not precompiled.
        var ranges = new LoadRange[elf.Loads.Length];
        int rangeCount = 0;
        ulong mappedEnd = 0; // page-aligned end of what earlier segments mapped
        ulong imageEnd = 0;
        foreach (var l in elf.Loads)
        {
            ulong vaddr = l.VAddr + bias, fileEnd = l.FileEnd + bias, memEnd = l.MemEnd + bias;
            ulong pageStart = GuestMemory.PageAlignDown(vaddr);
            ulong fileMapEnd = GuestMemory.PageAlignUp(fileEnd), memMapEnd = GuestMemory.PageAlignUp(memEnd);
            // A first page shared with the previous segment is already mapped (and holds its data).
            bool sharedFirstPage = pageStart < mappedEnd;
            ulong mapStart = sharedFirstPage ? mappedEnd : pageStart;
            const GuestProt rw = GuestProt.Read | GuestProt.Write;
            // File-backed pages are named after the file; pure bss pages are anonymous, as in /proc/self/maps.
            // A segment with pages of its own maps the file itself (as Linux does): only the pages the program
            // touches become resident, and they are shared page cache until written, where a copy made all of
            // them private memory. Otherwise (a first page shared with the previous segment, or a file that
            // cannot be mapped) the bytes are copied into anonymous pages.
            if (sharedFirstPage || fileMapEnd <= mapStart || !MapFromFile(memory, file, mapStart, fileMapEnd, l.Offset - (vaddr - pageStart), rw, name))
            {
                if (fileMapEnd > mapStart) Map(memory, mapStart, fileMapEnd, rw, name, who);
                // Like Linux's page-granular file mapping, the bytes before vaddr in its first page come
                // from the file too (the ELF header lands in memory this way), unless that page is shared.
                ulong copyStart = sharedFirstPage ? vaddr : pageStart;
                ulong fileOffset = l.Offset - (vaddr - copyStart);
                CopyFromFile(memory, file, fileOffset, copyStart, fileEnd - copyStart, who);
            }
            if (memMapEnd > Math.Max(mapStart, fileMapEnd)) Map(memory, Math.Max(mapStart, fileMapEnd), memMapEnd, rw, "", who);
            // bss: only the rest of the last file page can hold file bytes; later pages are fresh zeroes. As in
            // Linux, that rest is zeroed to the page end: ld.so's start-up allocator takes it as zeroed memory.
            ulong zeroEnd = memEnd > fileEnd ? fileMapEnd : fileEnd;
            if (zeroEnd > fileEnd) memory.GetSpan(fileEnd, (int)(zeroEnd - fileEnd)).Clear();

            ranges[rangeCount++] = new LoadRange(pageStart, memMapEnd, ToProt(l.Flags));
            mappedEnd = Math.Max(mappedEnd, memMapEnd);
            imageEnd = Math.Max(imageEnd, memEnd);
        }
        foreach (var (start, end, prot) in ranges) Protect(memory, start, end, prot, who);
        // A page shared by segments (only a first or last page can be) needs the union of their protections.
        foreach (var (start, end, _) in ranges)
        {
            // The first and the last page (an inline-array span would need JIT-compiled generic helpers).
            for (int k = 0; k < 2; k++)
            {
                ulong page = k == 0 ? start : end - Page;
                var union = GuestProt.None;
                int holders = 0;
                foreach (var r in ranges)
                {
                    if (page < r.Start || page >= r.End) continue;
                    union |= r.Prot;
                    holders++;
                }
                if (holders > 1) Protect(memory, page, page + Page, union, who);
            }
        }
        return imageEnd;
    }

    private readonly record struct LoadRange(ulong Start, ulong End, GuestProt Prot);

    private static void Map(GuestMemory memory, ulong start, ulong end, GuestProt prot, string name, string who)
    {
        long rc = memory.MapFixed(start, end - start, prot, name);
        if (rc < 0) throw new ElfLoadException($"{who}cannot map [0x{start:x}, 0x{end:x}) (errno {-rc})");
    }

    /// <summary>Maps file pages at <paramref name="offset"/> privately over guest [start, end); false if the file cannot be mapped.</summary>
    private static bool MapFromFile(GuestMemory memory, SafeFileHandle file, ulong start, ulong end, ulong offset, GuestProt prot, string name)
    {
        if (end - start > long.MaxValue || offset > long.MaxValue) return false;
        return memory.MapFixed(start, end - start, prot, name, (int)file.DangerousGetHandle(), (long)offset, Linux.Native.LibC.MAP_PRIVATE) == 0;
    }

    private static void Protect(GuestMemory memory, ulong start, ulong end, GuestProt prot, string who)
    {
        long rc = memory.Protect(start, end - start, prot);
        if (rc < 0) throw new ElfLoadException($"{who}cannot set the protection of [0x{start:x}, 0x{end:x}) (errno {-rc})");
    }

    private static void CopyFromFile(GuestMemory memory, SafeFileHandle file, ulong offset, ulong address, ulong length, string who)
    {
        const ulong chunk = 1 << 30;
        while (length > 0)
        {
            int n = (int)Math.Min(length, chunk);
            if (ElfFile.ReadAt(file, memory.GetSpan(address, n), (long)offset) != n)
                throw new ElfLoadException($"{who}file ended while reading a segment at offset 0x{offset:x} (truncated?)");
            offset += (ulong)n;
            address += (ulong)n;
            length -= (ulong)n;
        }
    }

    private static GuestProt ToProt(uint flags) =>
        ((flags & ElfFile.PF_R) != 0 ? GuestProt.Read : 0) |
        ((flags & ElfFile.PF_W) != 0 ? GuestProt.Write : 0) |
        ((flags & ElfFile.PF_X) != 0 ? GuestProt.Exec : 0);

    /// <summary>
    /// AT_PHDR: PT_PHDR's address if present, else where the PT_LOAD that contains e_phoff puts the table,
    /// else 0 (BuildStack then copies the table onto the stack).
    /// </summary>
    private static ulong ProgramHeaderAddress(ElfFile exe, ulong bias)
    {
        if (exe.PhdrVAddr is { } v) return v + bias;
        ulong size = (ulong)exe.PhdrTable.Length;
        foreach (var l in exe.Loads)
            if (exe.PhOff >= l.Offset && exe.PhOff - l.Offset + size <= l.FileSize)
                return l.VAddr + (exe.PhOff - l.Offset) + bias;
        return 0;
    }

    private readonly record struct StackResult(ulong Sp, ulong PhdrAddress, ulong AuxvAddress, AuxvEntry[] Auxv);

    /// <summary>
    /// Fills the top of the stack as Linux does: from the top, a NULL word, the AT_EXECFN string, the envp
    /// strings, the argv strings; then (16-byte aligned) the platform string and the AT_RANDOM bytes; then,
    /// 16-byte aligned at SP: argc, argv[], NULL, envp[], NULL, auxv pairs ending in AT_NULL.
    /// </summary>
    private static StackResult BuildStack(GuestMemory memory, ulong stackBottom, ElfFile exe, ulong bias, ulong phdrAddress,
        ulong interpBase, IReadOnlyList<string> argv, IReadOnlyList<string> envp, string execFn, LoaderOptions options)
    {
        ulong limit = stackBottom + Page; // keep a page of stack free for the program itself
        ulong p = GuestLayout.StackTop - 8;
        memory.Write(p, 0UL);

        ulong PushBytes(ReadOnlySpan<byte> bytes, bool nulTerminate)
        {
            ulong len = (ulong)bytes.Length + (nulTerminate ? 1UL : 0);
            if (p - limit < len) throw new ElfLoadException($"argument list too long for the {(GuestLayout.StackTop - stackBottom) >> 10} KiB stack");
            p -= len;
            memory.WriteBytes(p, bytes);
            if (nulTerminate) memory.GetSpan(p + (ulong)bytes.Length, 1)[0] = 0;
            return p;
        }
        ulong PushString(string s) => PushBytes(Emu.Linux.GuestStrings.Encode(s), true);

        ulong execFnAddr = PushString(execFn);
        var envAddrs = new ulong[envp.Count];
        for (int i = envp.Count - 1; i >= 0; i--) envAddrs[i] = PushString(envp[i]);
        var argAddrs = new ulong[argv.Count];
        for (int i = argv.Count - 1; i >= 0; i--) argAddrs[i] = PushString(argv[i]);

        p &= ~15UL;
        ulong platformAddr = PushString(Platform);
        ulong randomAddr = PushBytes(RandomBytes(options.RandomSeed), false);
        if (phdrAddress == 0)
        {
            // No segment maps the program headers: give the program a copy it can find through AT_PHDR.
            p &= ~7UL;
            phdrAddress = PushBytes(exe.PhdrTable, false);
        }

        // An array of our own type, not a List or KeyValuePair: generic code over the runtime's value types is
        // not precompiled and would be JIT-compiled at start-up.
        AuxvEntry[] auxv =
        [
            new(AT_MINSIGSTKSZ, MinSigStackSize),
            new(AT_HWCAP, options.HwCap),
            new(AT_PAGESZ, Page),
            new(AT_CLKTCK, 100),
            new(AT_PHDR, phdrAddress),
            new(AT_PHENT, ElfFile.PhdrSize),
            new(AT_PHNUM, (ulong)exe.PhNum),
            new(AT_BASE, interpBase),
            new(AT_FLAGS, 0),
            new(AT_ENTRY, exe.Entry + bias),
            new(AT_UID, HostIds.GetUid()),
            new(AT_EUID, HostIds.GetEuid()),
            new(AT_GID, HostIds.GetGid()),
            new(AT_EGID, HostIds.GetEgid()),
            new(AT_SECURE, options.Secure ? 1UL : 0),
            new(AT_RANDOM, randomAddr),
            new(AT_HWCAP2, options.HwCap2),
            new(AT_EXECFN, execFnAddr),
            new(AT_PLATFORM, platformAddr),
            new(AT_NULL, 0),
        ];

        ulong words = 1 + (ulong)argv.Count + 1 + (ulong)envp.Count + 1 + 2 * (ulong)auxv.Length;
        if (p - limit < words * 8 + 16) throw new ElfLoadException($"argument list too long for the {(GuestLayout.StackTop - stackBottom) >> 10} KiB stack");
        ulong sp = (p - words * 8) & ~15UL;

        ulong w = sp;
        void Put(ulong value)
        {
            memory.Write(w, value); // the primitive overload: a generic instantiation over ulong would be JIT-compiled
            w += 8;
        }
        Put((ulong)argv.Count);
        foreach (var a in argAddrs) Put(a);
        Put(0);
        foreach (var e in envAddrs) Put(e);
        Put(0);
        ulong auxvAddr = w;
        foreach (var kv in auxv)
        {
            Put(kv.Key);
            Put(kv.Value);
        }
        return new StackResult(sp, phdrAddress, auxvAddr, auxv);
    }

    private static byte[] RandomBytes(ulong? seed)
    {
        var bytes = new byte[16];
        if (seed is not { } s)
        {
            // getrandom(2), not RandomNumberGenerator: that needs the host's OpenSSL, which a chroot lacks.
            if (GetRandom(bytes, (nuint)bytes.Length, 0) != bytes.Length) RandomNumberGenerator.Fill(bytes);
            return bytes;
        }
        // splitmix64: a fixed, documented generator so -seed gives the same bytes on every run and host.
        for (int i = 0; i < 16; i += 8)
        {
            s += 0x9e3779b97f4a7c15;
            ulong z = s;
            z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
            z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
            z ^= z >> 31;
            BitConverter.TryWriteBytes(bytes.AsSpan(i), z);
        }
        return bytes;
    }

    [LibraryImport("libc", EntryPoint = "getrandom")]
    private static partial nint GetRandom(Span<byte> buffer, nuint length, uint flags);

    /// <summary>The host's user and group ids for AT_UID and friends (the guest runs as the host user).</summary>
    private static partial class HostIds
    {
        [LibraryImport("libc", EntryPoint = "getuid")]
        private static partial uint getuid();
        [LibraryImport("libc", EntryPoint = "geteuid")]
        private static partial uint geteuid();
        [LibraryImport("libc", EntryPoint = "getgid")]
        private static partial uint getgid();
        [LibraryImport("libc", EntryPoint = "getegid")]
        private static partial uint getegid();

        public static ulong GetUid() => getuid();
        public static ulong GetEuid() => geteuid();
        public static ulong GetGid() => getgid();
        public static ulong GetEgid() => getegid();
    }
}
