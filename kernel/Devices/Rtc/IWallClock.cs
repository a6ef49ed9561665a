namespace Hv.Devices.Rtc
{
    /// <summary>
    /// The host's time of day for a new RTC: seconds since 1970-01-01 00:00:00 (the lead passes the
    /// host RTC reading). Read once when the RTC is made; from then on the RTC advances with the VM's
    /// IDeviceClock, and a guest setting its clock only moves its own RTC.
    /// </summary>
    public interface IWallClock
    {
        ulong UnixSeconds();
    }
}
