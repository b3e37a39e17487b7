# One name per concept: the review of a red flag (tanda bahaya) is TinjauanTandaBahaya, as the model
# of the stored flags is TandaBahaya. The table is renamed; constraints and indexes keep their names.

from django.conf import settings
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("opd", "0001_initial"),
        ("pengadaan", "0009_catatan_data_dan_nilai_terbit"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel("RedFlagReview", "TinjauanTandaBahaya"),
        migrations.RenameModel("HistoricalRedFlagReview", "HistoricalTinjauanTandaBahaya"),
    ]
