// The loaders' view of a VM's RAM (Hv.Loader.IGuestRam: one flat range [0, Size)). Size is the end
// of the highest region; bytes in a hole below it (e.g. 640 KiB-1 MiB) are refused like bytes past
// it, so a loader writing there fails cleanly. Configuration time only.
using System;
using Hv.Loader;

namespace Hv.Virt
{
    public sealed class GuestRamView : IGuestRam
    {
        private readonly GuestMemory _memory;

        public GuestRamView(GuestMemory memory) { _memory = memory; }

        public ulong Size => _memory.End;

        public bool Write(ulong gpa, ReadOnlySpan<byte> data) => _memory.Write(gpa, data);

        public bool Zero(ulong gpa, ulong length) => _memory.Zero(gpa, length);
    }
}
