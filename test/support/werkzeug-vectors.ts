// Password hashes made by werkzeug 3.1.8 itself (`generate_password_hash(password, method=…, salt_length=16)`),
// for checking TraceTrack's verification of imported TraitorTrack passwords in Node and in workerd.
export const WERKZEUG_3_1_8: Array<[password: string, hash: string]> = [
  ['Tr41tor-pass', 'scrypt:32768:8:1$mxhKn3hXgGexacdx$9e2b529fc25d80f5a9b07e94ba345ce02ea1a7820e2b66d8718f26232d444760ec664a36d46fcc0704203f41e230eded5c0f2728999b6fba61acc4db9c07e362'],
  ['Tr41tor-pass', 'pbkdf2:sha256:1000000$iwkvfOzKL6pYmYHq$ef0c2d035c78d0858921d61f1e20af3a04a8575d30bc4d8603d29f9d11680f14'],
  ['Tr41tor-pass', 'pbkdf2:sha256:260000$brnxCDr10Qnx6bFK$3ced5f175d2e580dc7cb0b715c93800555bd9acdc42cc60042a8de6c2f03303a'],
  ['गोदाम-पासवर्ड 1', 'scrypt:16384:8:1$PxREqXJXlsPCiJqB$9d91a9faed0d88265fda02f75f625da4b2809059162d0bba343952c354812508a770b2c9add839208e90e864692872107f73500a5a1c8287c95c6d96b3107876'],
  ['old-sha1', 'pbkdf2:sha1:1000$vmeh5DvdGsy0WwNW$b45b38897d198ed2064916fff3db36748bf91b6a'],
  ['old-sha512', 'pbkdf2:sha512:2000$VsJhvaL8TSUQu6dp$8fb6722d1eb7519a4c9602539f3842971e541e2a9b31e80608b0913d104284b39c7ff4f2415286bcc46567c16cb3bf95d110c5f342f1ece991dd94db36d03ab9'],
];
