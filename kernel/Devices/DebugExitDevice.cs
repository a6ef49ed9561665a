// The debug-exit port (issue 4 item 6): a guest write of N ends its VM with status N. Test guests
// use it to finish with a verdict; the integration harness reads the status from the stop report.
//
// Port choice: 0xF4, four ports wide, where test setups conventionally put QEMU's isa-debug-exit
// (`-device isa-debug-exit,iobase=0xf4,iosize=0x04`, docs/emulators.md). Unlike QEMU, which exits
// with 2N+1, the status is N itself: the value written, zero-extended, whichever of the four ports
// and whatever access width (1, 2 or 4 bytes) the guest used. Reads return all-ones (nothing to read).
using System;

namespace Hv.Devices
{
    /// <summary>Who ends the VM: the Vm implements it (Vm.GuestExit stops it with VmStopReason.DebugExit).</summary>
    public interface IGuestExitSink
    {
        void GuestExit(ulong status);
    }

    public sealed class DebugExitDevice : IIoDevice
    {
        public const ushort DefaultPort = 0xF4;
        public const ushort PortCount = 4;

        private readonly IGuestExitSink _sink;

        public DebugExitDevice(IGuestExitSink sink) { _sink = sink; }

        /// <summary>Writes seen (the first one ends the VM; later ones, from other vCPUs, change nothing there).</summary>
        public ulong Writes { get; private set; }

        public void Read(ulong offset, Span<byte> data) => data.Fill(0xFF);

        public void Write(ulong offset, ReadOnlySpan<byte> data)
        {
            ulong status = 0;
            for (int i = data.Length - 1; i >= 0; i--)
                status = (status << 8) | data[i];
            Writes++;
            _sink.GuestExit(status);
        }
    }
}
