"""The community satisfaction survey (Survei Kepuasan Masyarakat, Permenpan RB 14/2017) in the chat,
and its index (IKM) per service, region and period."""
