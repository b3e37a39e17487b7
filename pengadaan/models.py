"""RUP packages, pencatatan and realisasi arrive here (DESIGN §4)."""
