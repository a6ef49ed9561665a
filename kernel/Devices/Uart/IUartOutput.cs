namespace Hv.Devices.Uart
{
    /// <summary>
    /// Where a UART's transmitted bytes go (the lead connects the host serial port or the log). Called
    /// on the VM-exit path with the platform lock held, one byte per guest write to THR: take the byte
    /// and return; no allocation.
    /// </summary>
    public interface IUartOutput
    {
        void Write(byte value);
    }
}
