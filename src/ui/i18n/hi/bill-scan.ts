// हिन्दी: बिल में पैरेंट बैग स्कैन करना।
import type { CatalogPart } from '../catalog';
import type { billScan as en } from '../en/bill-scan';

export const billScan: CatalogPart<typeof en> = {
  'bill.scanTitle': '{bill} में पैरेंट स्कैन करें',
  'bill.scanHint': 'पैरेंट लेबल स्कैन करें, या नीचे टाइप करें।',
  'bill.scanLabel': 'बिल {bill} में पैरेंट बैग स्कैन करें',
  'bill.manualLabel': 'पैरेंट QR',
  'bill.manualAdd': 'पैरेंट जोड़ें',
  'bill.kind.added': 'जुड़ गया',
  'bill.added': { one: 'जुड़ा · इस बिल पर {count} पैरेंट', other: 'जुड़ा · इस बिल पर {count} पैरेंट' },
  'bill.kind.addedShort': 'अधूरा',
  'bill.addedShort': 'जुड़ा, पर सिर्फ़ {count} / {capacity} चाइल्ड बैग',
  'bill.duplicate': 'पहले से इस बिल पर',
  'bill.reject.notFound': 'कभी पैरेंट के रूप में स्कैन नहीं हुआ: पहले स्कैनर पर भरें',
  'bill.reject.otherBill': 'पहले से बिल {bill} पर',
  'bill.reject.anotherBill': 'पहले से दूसरे बिल पर',
  'bill.reject.full': 'बिल भरा: नहीं जुड़ा',
  'bill.reject.finalized': 'बिल फ़ाइनल: पैरेंट बदलने के लिए फिर से खोलें',
  'bill.reject.notParent': 'पैरेंट लेबल नहीं',
  'bill.reject.child': 'चाइल्ड बैग, पैरेंट नहीं',
  'bill.reject.network': 'कनेक्शन नहीं: नहीं जुड़ा, फिर से स्कैन करें',
  'bill.pickTitle': 'बिल में स्कैन',
  'bill.pick': 'लोड करने के लिए बिल चुनें:',
  'bill.loadingBills': 'बिल लोड हो रहे हैं…',
  'bill.noOpen': 'कोई खुला बिल नहीं।',
  'bill.create': 'नया बनाएँ',
  'bill.scanInto': '{bill} में स्कैन',
  'bill.otherBill': 'दूसरा बिल',
  'bill.open': 'बिल खोलें',
};
