using Emu.Linux;
using Emu.Tests.Conformance;

namespace Emu.Tests.Programs;

/// <summary>
/// Environment entries that are not UTF-8 reach a guest's execve'd child byte for byte (CPython's
/// test_subprocess test_undecodable_env): through execve, the new translator's start-up and the loader.
/// </summary>
public sealed class GuestEnvironmentBytesTests(SysrootFixture sysroot) : IClassFixture<SysrootFixture>
{
    [Fact]
    public void NonUtf8EnvironmentSurvivesExecve()
    {
        Assert.True(sysroot.Error == null, sysroot.Error);
        string root = sysroot.Root;
        string dir = Directory.CreateTempSubdirectory("emu-envbytes-").FullName;
        try
        {
            // dash's printf makes the raw 0xFF byte; the child shell (a new translator) dumps what it got.
            const string Script = "X=$(printf 'a\\377b'); export X; exec /bin/sh -c 'printf %s \"$X\" | od -An -tx1'";
            var r = ProgramRun.Run(RepoLayout.Runner(), ["-L", root, root + "/bin/sh", "-c", Script],
                dir, null, ProgramRun.GuestEnvironment(dir), TimeSpan.FromMinutes(2));
            Assert.True(r.Status == 0, r.ToString());
            Assert.Equal("61 ff 62", r.Stdout.Trim());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData(new byte[] { 0x61, 0xFF, 0x62 })]
    [InlineData(new byte[] { 0xC3, 0xA9, 0xED, 0xB2, 0x80, 0x80 })] // valid é, then an encoded surrogate and a stray continuation byte
    [InlineData(new byte[] { 0xF0, 0x9F, 0x98, 0x80, 0xE2, 0x82 })] // valid 4-byte sequence, then a truncated one
    public void DecodeThenEncodeGivesTheSameBytes(byte[] bytes) =>
        Assert.Equal(bytes, GuestStrings.Encode(GuestStrings.Decode(bytes)));

    [Fact]
    public void ValidUtf8DecodesNormallyAndInvalidBytesEscape()
    {
        Assert.Equal("é", GuestStrings.Decode([0xC3, 0xA9]));
        Assert.Equal("a\uDCFFb", GuestStrings.Decode([0x61, 0xFF, 0x62]));
        Assert.Equal(new byte[] { 0x61, 0xFF, 0x62, 0 }, GuestStrings.Encode("a\uDCFFb", nulTerminate: true));
    }
}
